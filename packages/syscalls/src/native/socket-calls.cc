// Setup calls on sockets. They throw Node-shaped errors: these run once per server, not per request.
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "addon.h"

namespace iobench {

// socket(domain, type, protocol = 0): fd
static Napi::Value Socket(const Napi::CallbackInfo& info) {
  int32_t domain, type, protocol = 0;
  if (!ArgInt32(info, 0, "domain", &domain) || !ArgInt32(info, 1, "type", &type)) return Napi::Value();
  if (info.Length() > 2 && !info[2].IsUndefined() && !ArgInt32(info, 2, "protocol", &protocol)) {
    return Napi::Value();
  }
  Count(info.Env(), kSocket);
  int fd = ::socket(domain, type, protocol);
  if (fd < 0) return ThrowErrno(info.Env(), errno, "socket");
  return Napi::Value(info.Env(), Int(info.Env(), fd));
}

// setsockopt(fd, level, name, value): int-valued options
static Napi::Value Setsockopt(const Napi::CallbackInfo& info) {
  int32_t fd, level, name, value;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "level", &level) ||
      !ArgInt32(info, 2, "name", &name) || !ArgInt32(info, 3, "value", &value)) {
    return Napi::Value();
  }
  Count(info.Env(), kSetsockopt);
  if (::setsockopt(fd, level, name, &value, sizeof value) < 0) return ThrowErrno(info.Env(), errno, "setsockopt");
  return info.Env().Undefined();
}

// setsockoptMs(fd, level, name, ms): options whose value is a struct timeval (SO_RCVTIMEO, SO_SNDTIMEO)
static Napi::Value SetsockoptMs(const Napi::CallbackInfo& info) {
  int32_t fd, level, name, ms;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "level", &level) ||
      !ArgInt32(info, 2, "name", &name) || !ArgInt32(info, 3, "ms", &ms)) {
    return Napi::Value();
  }
  if (ms < 0) {
    Napi::RangeError::New(info.Env(), "argument 3 (ms) must be >= 0 (got " + std::to_string(ms) + ")")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  Count(info.Env(), kSetsockopt);
  if (::setsockopt(fd, level, name, &tv, sizeof tv) < 0) return ThrowErrno(info.Env(), errno, "setsockopt");
  return info.Env().Undefined();
}

// bindToDevice(fd, iface): SO_BINDTODEVICE
static Napi::Value BindToDevice(const Napi::CallbackInfo& info) {
  int32_t fd;
  std::string iface;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgString(info, 1, "iface", &iface)) return Napi::Value();
  Count(info.Env(), kSetsockopt);
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface.c_str(), iface.size()) < 0) {
    return ThrowErrno(info.Env(), errno, "setsockopt", iface.c_str());
  }
  return info.Env().Undefined();
}

// Declared in addon.h: the client calls pack connect addresses with it too.
int ParseAddress(const std::string& host, int port, sockaddr_storage* storage, socklen_t* length) {
  std::memset(storage, 0, sizeof *storage);
  if (host.find(':') == std::string::npos) {
    auto* in4 = reinterpret_cast<sockaddr_in*>(storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &in4->sin_addr) != 1) return EINVAL;
    *length = sizeof *in4;
    return 0;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(storage);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(static_cast<uint16_t>(port));
  size_t percent = host.find('%');
  std::string address = host.substr(0, percent);
  if (inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr) != 1) return EINVAL;
  if (percent != std::string::npos) {
    std::string scope = host.substr(percent + 1);
    if (!scope.empty() && scope.find_first_not_of("0123456789") == std::string::npos) {
      in6->sin6_scope_id = static_cast<uint32_t>(std::stoul(scope));
    } else {
      in6->sin6_scope_id = if_nametoindex(scope.c_str());
      if (in6->sin6_scope_id == 0) return ENODEV;
    }
  }
  *length = sizeof *in6;
  return 0;
}

// bind(fd, host, port)
static Napi::Value Bind(const Napi::CallbackInfo& info) {
  int32_t fd, port;
  std::string host;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgString(info, 1, "host", &host) || !ArgInt32(info, 2, "port", &port)) {
    return Napi::Value();
  }
  if (port < 0 || port > 65535) {
    Napi::RangeError::New(info.Env(), "argument 2 (port) must be 0-65535 (got " + std::to_string(port) + ")")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  sockaddr_storage storage;
  socklen_t length = 0;
  int err = ParseAddress(host, port, &storage, &length);
  if (err == EINVAL) {
    return ThrowErrno(info.Env(), EINVAL, "bind", host.c_str(), port,
                      "expected an IPv4 or IPv6 address (IPv6 optionally with %iface)");
  }
  if (err != 0) return ThrowErrno(info.Env(), err, "bind", host.c_str(), port, "no such network interface");
  Count(info.Env(), kBind);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) < 0) {
    return ThrowErrno(info.Env(), errno, "bind", host.c_str(), port);
  }
  return info.Env().Undefined();
}

// listen(fd, backlog)
static Napi::Value Listen(const Napi::CallbackInfo& info) {
  int32_t fd, backlog;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "backlog", &backlog)) return Napi::Value();
  Count(info.Env(), kListen);
  if (::listen(fd, backlog) < 0) return ThrowErrno(info.Env(), errno, "listen");
  return info.Env().Undefined();
}

// localAddress(fd): { host, port, family } from getsockname
static Napi::Value LocalAddress(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  sockaddr_storage storage;
  socklen_t length = sizeof storage;
  Count(info.Env(), kGetsockname);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) < 0) {
    return ThrowErrno(info.Env(), errno, "getsockname");
  }
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = {0};
  Napi::Object result = Napi::Object::New(info.Env());
  if (storage.ss_family == AF_INET) {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &in4->sin_addr, text, sizeof text);
    result.Set("port", ntohs(in4->sin_port));
    result.Set("family", 4);
  } else if (storage.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    char name[IF_NAMESIZE];
    if (in6->sin6_scope_id != 0 && if_indextoname(in6->sin6_scope_id, name) != nullptr) {
      std::strcat(text, "%");
      std::strcat(text, name);
    }
    result.Set("port", ntohs(in6->sin6_port));
    result.Set("family", 6);
  } else {
    return ThrowErrno(info.Env(), EAFNOSUPPORT, "getsockname");
  }
  result.Set("host", text);
  return result;
}

// setNonBlocking(fd, on): O_NONBLOCK via fcntl
static Napi::Value SetNonBlocking(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  bool on = info[1].ToBoolean();
  Count(info.Env(), kFcntl);
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return ThrowErrno(info.Env(), errno, "fcntl");
  int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags) {
    Count(info.Env(), kFcntl);
    if (::fcntl(fd, F_SETFL, wanted) < 0) return ThrowErrno(info.Env(), errno, "fcntl");
  }
  return info.Env().Undefined();
}

void InitSocketCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("setsockopt", Napi::Function::New(env, Setsockopt, "setsockopt"));
  exports.Set("setsockoptMs", Napi::Function::New(env, SetsockoptMs, "setsockoptMs"));
  exports.Set("bindToDevice", Napi::Function::New(env, BindToDevice, "bindToDevice"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("localAddress", Napi::Function::New(env, LocalAddress, "localAddress"));
  exports.Set("setNonBlocking", Napi::Function::New(env, SetNonBlocking, "setNonBlocking"));
}

}  // namespace iobench
