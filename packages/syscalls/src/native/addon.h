// Shared declarations of the iobench syscall addon. The addon is deliberately thin: argument checks,
// the syscall, errno out. No policy, and no static mutable state: everything per-thread lives in
// AddonData, stored as N-API instance data, because worker threads load the addon too.
#pragma once

#include <napi.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace iobench {

// Per-syscall counter slots. kCounterNames (addon.cc) lists the names in this order.
enum Counter : uint32_t {
  kSocket, kSetsockopt, kBind, kListen, kGetsockname, kFcntl, kEventfd, kEpollCreate1,
  kAccept4, kRecv, kSend, kShutdown, kClose, kRead, kWrite, kSelect, kPoll, kEpollCtl, kEpollWait,
  kConnect, kGetsockopt, kEpollPwait2, kClone, kPpoll, kPipe2, kIoUringSetup, kIoUringEnter,
  kIoUringRegister, kMmap, kSchedGetaffinity, kSchedSetaffinity, kPrctl,
  kCounterCount
};
extern const char* const kCounterNames[kCounterCount];

struct Region;  // a memory mapping handed to JS as an ArrayBuffer (uring-calls.cc)

// Everything the addon keeps for one JS environment (main thread or one worker thread).
struct AddonData {
  // uint64 counters inside a SharedArrayBuffer bound by useCounters(); null = not counting.
  uint64_t* counters = nullptr;
  size_t counterCount = 0;
  Napi::ObjectReference countersRef;  // keeps the counters' buffer alive while bound
  std::vector<struct epoll_event> events;  // scratch for epoll_wait, grown on demand
  std::unordered_map<void*, Region*> regions;  // live mappings by address, for unmapRegion
};

inline AddonData* Data(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<AddonData*>(data);
}

// Counts issued syscalls (one by default); atomic because several threads may share one counters buffer.
inline void Count(napi_env env, Counter counter, uint64_t calls = 1) {
  AddonData* data = Data(env);
  if (data->counters != nullptr && counter < data->counterCount && calls > 0) {
    __atomic_fetch_add(data->counters + counter, calls, __ATOMIC_RELAXED);
  }
}

// Hot-path calls enter the kernel through syscall(2), not through glibc's named wrappers: the
// cancellable ones (accept4, recv, poll, epoll_wait, close, ...) use the frame-pointer register as a
// general register, which cuts perf's frame-pointer call chains at the wrapper. syscall(2) leaves it
// alone, so with -fno-omit-frame-pointer (binding.gyp) a kernel stack continues into the addon and
// the JS that called it. The syscall issued is the one glibc's wrapper would issue; -1 + errno out.
template <typename T>
inline long SyscallArg(T value) {
  if constexpr (std::is_null_pointer_v<T>) return 0;
  else if constexpr (std::is_pointer_v<T>) return reinterpret_cast<long>(value);
  else return static_cast<long>(value);
}
template <typename... Args>
inline long Syscall(long number, Args... args) {
  return ::syscall(number, SyscallArg(args)...);
}

// Argument readers: on a wrong argument they throw a TypeError/RangeError and return false.
bool ArgInt32(const Napi::CallbackInfo& info, size_t i, const char* name, int32_t* out);
bool ArgDouble(const Napi::CallbackInfo& info, size_t i, const char* name, double* out);
bool ArgString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out);
// A Uint8Array (or Buffer). With allowNull, null/undefined gives data = nullptr.
bool ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name, bool allowNull,
              uint8_t** data, size_t* length);

// A syscall result for the hot path: the value, or -errno.
napi_value ResultOrErrno(napi_env env, int64_t rc, int err);
napi_value Int(napi_env env, int64_t value);
// Throws a Node-shaped error (code, errno < 0, syscall, optional address/port); returns empty.
Napi::Value ThrowErrno(Napi::Env env, int err, const char* syscall, const char* address = nullptr,
                       int port = -1, const char* detail = nullptr);

// Parses an IPv4 or IPv6 literal (IPv6 optionally with a `%iface` or `%index` scope) and a port
// into a sockaddr. 0, EINVAL (not an address) or ENODEV (no such interface).
int ParseAddress(const std::string& host, int port, sockaddr_storage* storage, socklen_t* length);

void InitSocketCalls(Napi::Env env, Napi::Object exports);
void InitIoCalls(Napi::Env env, Napi::Object exports);
void InitMultiplexCalls(Napi::Env env, Napi::Object exports);
void InitWatchReadable(Napi::Env env, Napi::Object exports);
void InitNamespaceCalls(Napi::Env env, Napi::Object exports);
void InitClientCalls(Napi::Env env, Napi::Object exports);
void InitRequestThreads(Napi::Env env, Napi::Object exports);
void InitUringCalls(Napi::Env env, Napi::Object exports);

}  // namespace iobench
