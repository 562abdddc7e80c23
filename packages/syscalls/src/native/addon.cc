// Module entry: instance data, constants, counters binding and registration of every call.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>

#include <cerrno>

#include "addon.h"

namespace iobench {

const char* const kCounterNames[kCounterCount] = {
    "socket", "setsockopt", "bind", "listen", "getsockname", "fcntl", "eventfd", "epoll_create1",
    "accept4", "recv", "send", "shutdown", "close", "read", "write", "select", "poll", "epoll_ctl",
    "epoll_wait", "connect", "getsockopt", "epoll_pwait2", "clone", "ppoll", "pipe2", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "mmap", "sched_getaffinity", "sched_setaffinity", "prctl"};

// useCounters(counters: BigUint64Array | null): binds a counters array for the calling thread.
static Napi::Value UseCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData* data = Data(env);
  if (info[0].IsNull() || info[0].IsUndefined()) {
    data->counters = nullptr;
    data->counterCount = 0;
    data->countersRef.Reset();
    return env.Undefined();
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, info[0], &type, &length, &raw, nullptr, nullptr) != napi_ok ||
      type != napi_biguint64_array) {
    Napi::TypeError::New(env, "argument 0 (counters) must be a BigUint64Array or null")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  data->countersRef = Napi::Persistent(info[0].As<Napi::Object>());
  data->counters = static_cast<uint64_t*>(raw);
  data->counterCount = length;
  return env.Undefined();
}

static void SetConstants(Napi::Env env, Napi::Object exports) {
  Napi::Object c = Napi::Object::New(env);
#define IOB_CONSTANT(name) c.Set(#name, Napi::Number::New(env, name))
  IOB_CONSTANT(AF_INET); IOB_CONSTANT(AF_INET6); IOB_CONSTANT(SOCK_STREAM);
  IOB_CONSTANT(SOCK_NONBLOCK); IOB_CONSTANT(SOCK_CLOEXEC); IOB_CONSTANT(SOL_SOCKET);
  IOB_CONSTANT(SO_REUSEADDR); IOB_CONSTANT(SO_REUSEPORT); IOB_CONSTANT(SO_BINDTODEVICE);
  IOB_CONSTANT(SO_RCVTIMEO); IOB_CONSTANT(SO_SNDTIMEO);
  IOB_CONSTANT(IPPROTO_TCP); IOB_CONSTANT(TCP_NODELAY); IOB_CONSTANT(SHUT_RD); IOB_CONSTANT(SHUT_WR);
  IOB_CONSTANT(SHUT_RDWR); IOB_CONSTANT(MSG_NOSIGNAL); IOB_CONSTANT(MSG_DONTWAIT);
  IOB_CONSTANT(EPOLLIN); IOB_CONSTANT(EPOLLOUT); IOB_CONSTANT(EPOLLERR); IOB_CONSTANT(EPOLLHUP);
  IOB_CONSTANT(EPOLLRDHUP); IOB_CONSTANT(EPOLLET); IOB_CONSTANT(EPOLLONESHOT);
  IOB_CONSTANT(EPOLL_CTL_ADD); IOB_CONSTANT(EPOLL_CTL_MOD); IOB_CONSTANT(EPOLL_CTL_DEL);
  IOB_CONSTANT(EPOLL_CLOEXEC); IOB_CONSTANT(EFD_NONBLOCK); IOB_CONSTANT(EFD_CLOEXEC);
  IOB_CONSTANT(POLLIN); IOB_CONSTANT(POLLOUT); IOB_CONSTANT(POLLERR); IOB_CONSTANT(POLLHUP);
  IOB_CONSTANT(POLLNVAL); IOB_CONSTANT(FD_SETSIZE); IOB_CONSTANT(EAGAIN); IOB_CONSTANT(EWOULDBLOCK);
  IOB_CONSTANT(EINTR); IOB_CONSTANT(EMFILE); IOB_CONSTANT(ENFILE); IOB_CONSTANT(ECONNRESET);
  IOB_CONSTANT(EPIPE); IOB_CONSTANT(EINVAL); IOB_CONSTANT(EBADF); IOB_CONSTANT(ENOTCONN);
  IOB_CONSTANT(ECONNABORTED); IOB_CONSTANT(ETIMEDOUT); IOB_CONSTANT(CLONE_NEWNET);
  IOB_CONSTANT(EINPROGRESS); IOB_CONSTANT(EALREADY); IOB_CONSTANT(ECONNREFUSED); IOB_CONSTANT(EHOSTUNREACH);
  IOB_CONSTANT(ENETUNREACH); IOB_CONSTANT(EADDRNOTAVAIL); IOB_CONSTANT(EADDRINUSE); IOB_CONSTANT(ENOSYS);
  IOB_CONSTANT(SO_ERROR);
  IOB_CONSTANT(ECANCELED); IOB_CONSTANT(O_NONBLOCK); IOB_CONSTANT(O_CLOEXEC);
#undef IOB_CONSTANT
  exports.Set("constants", c);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new AddonData());
  SetConstants(env, exports);
  Napi::Array names = Napi::Array::New(env, kCounterCount);
  for (uint32_t i = 0; i < kCounterCount; i++) names.Set(i, Napi::String::New(env, kCounterNames[i]));
  exports.Set("counterNames", names);
  exports.Set("useCounters", Napi::Function::New(env, UseCounters, "useCounters"));
  InitSocketCalls(env, exports);
  InitIoCalls(env, exports);
  InitMultiplexCalls(env, exports);
  InitWatchReadable(env, exports);
  InitNamespaceCalls(env, exports);
  InitClientCalls(env, exports);
  InitRequestThreads(env, exports);
  InitUringCalls(env, exports);
  return exports;
}

}  // namespace iobench

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return iobench::Init(env, exports); }

NODE_API_MODULE(iobench_syscalls, InitAddon)
