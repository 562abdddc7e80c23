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

// The two epoll waits share their arguments (epfd, out, maxEvents) and their output, `out[2i] =
// events, out[2i+1] = fd`; they differ only in the timeout and the syscall that takes it.
struct EpollWaitCall {
  int32_t epfd = -1;
  int32_t maxEvents = 0;
  int32_t* out = nullptr;
  AddonData* data = nullptr;
};

// Reads epfd, out and maxEvents. False with a JS exception pending, or with `*early` set to -EINVAL
// when maxEvents does not fit `out`.
static bool EpollWaitArgs(const Napi::CallbackInfo& info, EpollWaitCall* call, Napi::Value* early) {
  if (!ArgInt32(info, 0, "epfd", &call->epfd) || !ArgInt32(info, 2, "maxEvents", &call->maxEvents)) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void* raw = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[1], &type, &length, &raw, nullptr, nullptr) != napi_ok ||
      type != napi_int32_array) {
    Napi::TypeError::New(info.Env(), "argument 1 (out) must be an Int32Array").ThrowAsJavaScriptException();
    return false;
  }
  if (call->maxEvents <= 0 || static_cast<size_t>(call->maxEvents) * 2 > length) {
    *early = Napi::Value(info.Env(), Int(info.Env(), -EINVAL));
    return false;
  }
  call->out = static_cast<int32_t*>(raw);
  call->data = Data(info.Env());
  if (call->data->events.size() < static_cast<size_t>(call->maxEvents)) call->data->events.resize(call->maxEvents);
  return true;
}

// Copies what the wait returned into `out`; the count or -errno.
static Napi::Value EpollWaitResult(const Napi::CallbackInfo& info, const EpollWaitCall& call, long rc, int err) {
  for (long i = 0; i < rc; i++) {
    call.out[2 * i] = static_cast<int32_t>(call.data->events[i].events);
    call.out[2 * i + 1] = call.data->events[i].data.fd;
  }
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, err));
}

// epollWait(epfd, out, maxEvents, timeoutMs): count or -errno.
static Napi::Value EpollWait(const Napi::CallbackInfo& info) {
  EpollWaitCall call;
  Napi::Value early;
  int32_t timeoutMs;
  if (!EpollWaitArgs(info, &call, &early) || !ArgInt32(info, 3, "timeoutMs", &timeoutMs)) return early;
  Count(info.Env(), kEpollWait);
  void* events = call.data->events.data();
#ifdef SYS_epoll_wait
  long rc = Syscall(SYS_epoll_wait, call.epfd, events, call.maxEvents, timeoutMs < 0 ? -1 : timeoutMs);
#else
  long rc = Syscall(SYS_epoll_pwait, call.epfd, events, call.maxEvents, timeoutMs < 0 ? -1 : timeoutMs, nullptr, 0);
#endif
  return EpollWaitResult(info, call, rc, errno);
}

// epollWaitUs(epfd, out, maxEvents, timeoutUs): epoll_pwait2 with a microsecond timeout (< 0 blocks),
// so an open-model generator can wake for a send due in 40 µs; epoll_wait's milliseconds cannot.
// -ENOSYS on kernels before 5.11.
static Napi::Value EpollWaitUs(const Napi::CallbackInfo& info) {
  EpollWaitCall call;
  Napi::Value early;
  double timeoutUs;
  if (!EpollWaitArgs(info, &call, &early) || !ArgDouble(info, 3, "timeoutUs", &timeoutUs)) return early;
  timespec timeout;
  timespec* timeoutPtr = nullptr;
  if (timeoutUs >= 0) {
    long long ns = static_cast<long long>(timeoutUs * 1000.0);
    timeout.tv_sec = static_cast<time_t>(ns / 1000000000LL);
    timeout.tv_nsec = static_cast<long>(ns % 1000000000LL);
    timeoutPtr = &timeout;
  }
  Count(info.Env(), kEpollPwait2);
#ifdef SYS_epoll_pwait2
  long rc = Syscall(SYS_epoll_pwait2, call.epfd, call.data->events.data(), call.maxEvents, timeoutPtr, nullptr, 0);
#else
  long rc = Syscall(441, call.epfd, call.data->events.data(), call.maxEvents, timeoutPtr, nullptr, 0);
#endif
  return EpollWaitResult(info, call, rc, errno);
}

void InitMultiplexCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("select", Napi::Function::New(env, Select, "select"));
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
  exports.Set("epollCreate1", Napi::Function::New(env, EpollCreate1, "epollCreate1"));
  exports.Set("epollCtl", Napi::Function::New(env, EpollCtl, "epollCtl"));
  exports.Set("epollWait", Napi::Function::New(env, EpollWait, "epollWait"));
  exports.Set("epollWaitUs", Napi::Function::New(env, EpollWaitUs, "epollWaitUs"));
}

}  // namespace iobench
