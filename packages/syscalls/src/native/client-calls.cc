// Calls a load generator needs on top of the servers' ones: outgoing connections and a wait with
// microsecond resolution. Same rules as everywhere in the addon: argument checks, the syscall, errno
// out. The address is packed once (sockaddr, a setup call that throws) so that connect, which runs
// once per request against servers that close every connection, parses nothing.
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"

namespace iobench {

// sockaddr(host, port): the packed struct sockaddr_in/sockaddr_in6 as a Buffer
static Napi::Value Sockaddr(const Napi::CallbackInfo& info) {
  std::string host;
  int32_t port;
  if (!ArgString(info, 0, "host", &host) || !ArgInt32(info, 1, "port", &port)) return Napi::Value();
  if (port < 0 || port > 65535) {
    Napi::RangeError::New(info.Env(), "argument 1 (port) must be 0-65535 (got " + std::to_string(port) + ")")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  sockaddr_storage storage;
  socklen_t length = 0;
  int err = ParseAddress(host, port, &storage, &length);
  if (err == EINVAL) {
    return ThrowErrno(info.Env(), EINVAL, "connect", host.c_str(), port,
                      "expected an IPv4 or IPv6 address (IPv6 optionally with %iface)");
  }
  if (err != 0) return ThrowErrno(info.Env(), err, "connect", host.c_str(), port, "no such network interface");
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<uint8_t*>(&storage), length);
}

// connect(fd, addr): 0, or -errno (-EINPROGRESS on a non-blocking socket whose handshake goes on)
static Napi::Value Connect(const Napi::CallbackInfo& info) {
  int32_t fd;
  uint8_t* addr;
  size_t length;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgBytes(info, 1, "addr", false, &addr, &length)) return Napi::Value();
  if (length < sizeof(sockaddr_in) || length > sizeof(sockaddr_storage)) {
    Napi::RangeError::New(info.Env(), "argument 1 (addr) must come from sockaddr() (got " +
                                          std::to_string(length) + " bytes)")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Count(info.Env(), kConnect);
  long rc = Syscall(SYS_connect, fd, addr, static_cast<socklen_t>(length));
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// socketError(fd): getsockopt(SO_ERROR), i.e. the pending error of a socket (0 = none), or -errno
static Napi::Value SocketError(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  int value = 0;
  socklen_t length = sizeof value;
  Count(info.Env(), kGetsockopt);
  long rc = Syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_ERROR, &value, &length);
  if (rc < 0) return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
  return Napi::Value(info.Env(), Int(info.Env(), value));
}

// epollWaitUs(epfd, out, maxEvents, timeoutUs): epoll_pwait2 with a microsecond timeout (< 0 blocks),
// so an open-model generator can wake for a send due in 40 µs; epoll_wait's milliseconds cannot.
// Fills out like epollWait. -ENOSYS on kernels before 5.11: callers fall back to epollWait.
static Napi::Value EpollWaitUs(const Napi::CallbackInfo& info) {
  int32_t epfd, maxEvents;
  double timeoutUs;
  if (!ArgInt32(info, 0, "epfd", &epfd) || !ArgInt32(info, 2, "maxEvents", &maxEvents) ||
      !ArgDouble(info, 3, "timeoutUs", &timeoutUs)) {
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
  long rc = Syscall(SYS_epoll_pwait2, epfd, data->events.data(), maxEvents, timeoutPtr, nullptr, 0);
#else
  long rc = Syscall(441, epfd, data->events.data(), maxEvents, timeoutPtr, nullptr, 0);
#endif
  int err = errno;
  auto* out = static_cast<int32_t*>(raw);
  for (long i = 0; i < rc; i++) {
    out[2 * i] = static_cast<int32_t>(data->events[i].events);
    out[2 * i + 1] = data->events[i].data.fd;
  }
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, err));
}

void InitClientCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("sockaddr", Napi::Function::New(env, Sockaddr, "sockaddr"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("socketError", Napi::Function::New(env, SocketError, "socketError"));
  exports.Set("epollWaitUs", Napi::Function::New(env, EpollWaitUs, "epollWaitUs"));
}

}  // namespace iobench
