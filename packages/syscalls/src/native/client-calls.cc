// Calls a load generator needs on top of the servers' ones: outgoing connections (its wait with a
// microsecond timeout, epollWaitUs, sits with the other waits in multiplex-calls.cc). Same rules as
// everywhere in the addon: argument checks, the syscall, errno out. The address is packed once
// (sockaddr, a setup call that throws) so that connect, which runs once per request against servers
// that close every connection, parses nothing.
#include <netinet/in.h>
#include <sys/socket.h>

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

void InitClientCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("sockaddr", Napi::Function::New(env, Sockaddr, "sockaddr"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("socketError", Napi::Function::New(env, SocketError, "socketError"));
}

}  // namespace iobench
