// Readiness calls: select, poll, epoll. Waiting calls return a count or -errno. They enter the kernel
// through Syscall (addon.h) so that perf's call chains stay joined, issuing the syscall glibc's
// wrapper would: pselect6 for select, poll (ppoll where there is none), epoll_wait (epoll_pwait).
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

#include <cerrno>

#include "addon.h"

namespace iobench {

// Bytes in a kernel fd_set; sets shorter than this are refused rather than overrun.
static constexpr size_t kFdSetBytes = FD_SETSIZE / 8;

// select(nfds, readSet | null, writeSet | null, timeoutMs): ready count or -errno. The sets are
// Uint8Array bitmaps in the kernel's fd_set layout, modified in place; timeoutMs < 0 blocks.
static Napi::Value Select(const Napi::CallbackInfo& info) {
  int32_t nfds;
  double timeoutMs;
  uint8_t *readSet, *writeSet;
  size_t readLength, writeLength;
  if (!ArgInt32(info, 0, "nfds", &nfds) || !ArgBytes(info, 1, "readSet", true, &readSet, &readLength) ||
      !ArgBytes(info, 2, "writeSet", true, &writeSet, &writeLength) ||
      !ArgDouble(info, 3, "timeoutMs", &timeoutMs)) {
    return Napi::Value();
  }
  // The kernel reads and writes nfds bits of each set: never let it go past FD_SETSIZE or the buffer.
  if (nfds < 0 || nfds > FD_SETSIZE || (readSet != nullptr && readLength < kFdSetBytes) ||
      (writeSet != nullptr && writeLength < kFdSetBytes)) {
    return Napi::Value(info.Env(), Int(info.Env(), -EINVAL));
  }
  timespec timeout;
  timespec* timeoutPtr = nullptr;
  if (timeoutMs >= 0) {
    timeout.tv_sec = static_cast<time_t>(timeoutMs / 1000);
    timeout.tv_nsec = static_cast<long>((timeoutMs - timeout.tv_sec * 1000.0) * 1e6);
    timeoutPtr = &timeout;
  }
  Count(info.Env(), kSelect);
  // pselect6 with no signal mask is select with a timespec; glibc's select issues it too.
  long rc = Syscall(SYS_pselect6, nfds, readSet, writeSet, nullptr, timeoutPtr, nullptr);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// poll(pollfds, count, timeoutMs): ready count or -errno. pollfds holds `count` struct pollfd.
static Napi::Value Poll(const Napi::CallbackInfo& info) {
  uint8_t* fds;
  size_t length;
  int32_t count, timeoutMs;
  if (!ArgBytes(info, 0, "pollfds", false, &fds, &length) || !ArgInt32(info, 1, "count", &count) ||
      !ArgInt32(info, 2, "timeoutMs", &timeoutMs)) {
    return Napi::Value();
  }
  if (count < 0 || static_cast<size_t>(count) * sizeof(pollfd) > length) {
    return Napi::Value(info.Env(), Int(info.Env(), -EINVAL));
  }
  Count(info.Env(), kPoll);
#ifdef SYS_poll
  long rc = Syscall(SYS_poll, fds, count, timeoutMs < 0 ? -1 : timeoutMs);
#else
  timespec timeout = {timeoutMs / 1000, (timeoutMs % 1000) * 1000000L};
  long rc = Syscall(SYS_ppoll, fds, count, timeoutMs < 0 ? nullptr : &timeout, nullptr, 0);
#endif
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// epollCreate1(flags): epoll fd; throws (setup call)
static Napi::Value EpollCreate1(const Napi::CallbackInfo& info) {
  int32_t flags;
  if (!ArgInt32(info, 0, "flags", &flags)) return Napi::Value();
  Count(info.Env(), kEpollCreate1);
  int fd = ::epoll_create1(flags);
  if (fd < 0) return ThrowErrno(info.Env(), errno, "epoll_create1");
  return Napi::Value(info.Env(), Int(info.Env(), fd));
}

// epollCtl(epfd, op, fd, events): 0 or -errno; the event's data is the fd itself.
static Napi::Value EpollCtl(const Napi::CallbackInfo& info) {
  int32_t epfd, op, fd, events;
  if (!ArgInt32(info, 0, "epfd", &epfd) || !ArgInt32(info, 1, "op", &op) || !ArgInt32(info, 2, "fd", &fd) ||
      !ArgInt32(info, 3, "events", &events)) {
    return Napi::Value();
  }
  epoll_event event = {};
  event.events = static_cast<uint32_t>(events);
  event.data.fd = fd;
  Count(info.Env(), kEpollCtl);
  long rc = Syscall(SYS_epoll_ctl, epfd, op, fd, &event);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// epollWait(epfd, out, maxEvents, timeoutMs): count or -errno; out[2i] = events, out[2i+1] = fd.
static Napi::Value EpollWait(const Napi::CallbackInfo& info) {
  int32_t epfd, maxEvents, timeoutMs;
  if (!ArgInt32(info, 0, "epfd", &epfd) || !ArgInt32(info, 2, "maxEvents", &maxEvents) ||
      !ArgInt32(info, 3, "timeoutMs", &timeoutMs)) {
    return Napi::Value();
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* raw = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[1], &type, &length, &raw, nullptr, nullptr) != napi_ok ||
      type != napi_int32_array) {
    Napi::TypeError::New(info.Env(), "argument 1 (out) must be an Int32Array").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  if (maxEvents <= 0 || static_cast<size_t>(maxEvents) * 2 > length) {
    return Napi::Value(info.Env(), Int(info.Env(), -EINVAL));
  }
  AddonData* data = Data(info.Env());
  if (data->events.size() < static_cast<size_t>(maxEvents)) data->events.resize(maxEvents);
  Count(info.Env(), kEpollWait);
#ifdef SYS_epoll_wait
  long rc = Syscall(SYS_epoll_wait, epfd, data->events.data(), maxEvents, timeoutMs < 0 ? -1 : timeoutMs);
#else
  long rc = Syscall(SYS_epoll_pwait, epfd, data->events.data(), maxEvents, timeoutMs < 0 ? -1 : timeoutMs, nullptr, 0);
#endif
  int err = errno;
  auto* out = static_cast<int32_t*>(raw);
  for (long i = 0; i < rc; i++) {
    out[2 * i] = static_cast<int32_t>(data->events[i].events);
    out[2 * i + 1] = data->events[i].data.fd;
  }
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, err));
}

void InitMultiplexCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("select", Napi::Function::New(env, Select, "select"));
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
  exports.Set("epollCreate1", Napi::Function::New(env, EpollCreate1, "epollCreate1"));
  exports.Set("epollCtl", Napi::Function::New(env, EpollCtl, "epollCtl"));
  exports.Set("epollWait", Napi::Function::New(env, EpollWait, "epollWait"));
}

}  // namespace iobench
