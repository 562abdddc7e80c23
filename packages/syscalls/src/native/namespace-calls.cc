// Placement calls for the calling thread: setns(2), so that a thread can enter a network namespace
// the run created (and return to its own) around creating sockets, threads and child processes,
// which inherit it; sched_getaffinity/sched_setaffinity(2), so that a loop thread can take one
// CPU of the list its process was pinned to; and prctl(PR_SET_TIMERSLACK), so that a thread that
// sleeps until a deadline wakes when asked rather than up to 50 µs later.
#include <sched.h>
#include <sys/prctl.h>

#include <cerrno>
#include <string>

#include "addon.h"

namespace iobench {

// setns(fd, nstype): moves the calling thread into the namespace `fd` refers to
static Napi::Value Setns(const Napi::CallbackInfo& info) {
  int32_t fd, nstype;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "nstype", &nstype)) return Napi::Value();
  if (::setns(fd, nstype) < 0) return ThrowErrno(info.Env(), errno, "setns");
  return info.Env().Undefined();
}

// schedGetaffinity(): the CPUs the calling thread may run on, ascending
static Napi::Value SchedGetaffinity(const Napi::CallbackInfo& info) {
  cpu_set_t set;
  CPU_ZERO(&set);
  Count(info.Env(), kSchedGetaffinity);
  if (::sched_getaffinity(0, sizeof set, &set) < 0) return ThrowErrno(info.Env(), errno, "sched_getaffinity");
  Napi::Array cpus = Napi::Array::New(info.Env());
  for (int cpu = 0, n = 0; cpu < CPU_SETSIZE; cpu++) {
    if (CPU_ISSET(cpu, &set)) cpus.Set(n++, cpu);
  }
  return cpus;
}

// schedSetaffinity(cpus): restricts the calling thread (not the process) to `cpus`
static Napi::Value SchedSetaffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) {
    Napi::TypeError::New(env, "argument 0 (cpus) must be an array of CPU numbers").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Napi::Array list = info[0].As<Napi::Array>();
  cpu_set_t set;
  CPU_ZERO(&set);
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Value item = list.Get(i);
    int32_t cpu = item.IsNumber() ? item.As<Napi::Number>().Int32Value() : -1;
    if (cpu < 0 || cpu >= CPU_SETSIZE) {
      Napi::RangeError::New(env, "cpus must be integers in 0.." + std::to_string(CPU_SETSIZE - 1))
          .ThrowAsJavaScriptException();
      return Napi::Value();
    }
    CPU_SET(cpu, &set);
  }
  Count(env, kSchedSetaffinity);
  if (::sched_setaffinity(0, sizeof set, &set) < 0) return ThrowErrno(env, errno, "sched_setaffinity");
  return env.Undefined();
}

// setTimerSlack(ns): how late the kernel may wake the calling thread's timed waits (default 50,000 ns)
static Napi::Value SetTimerSlack(const Napi::CallbackInfo& info) {
  int32_t ns;
  if (!ArgInt32(info, 0, "ns", &ns)) return Napi::Value();
  if (ns < 1) {
    Napi::RangeError::New(info.Env(), "ns must be at least 1 (0 restores the thread's default)")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Count(info.Env(), kPrctl);
  if (::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(ns), 0, 0, 0) < 0)
    return ThrowErrno(info.Env(), errno, "prctl");
  return info.Env().Undefined();
}

void InitNamespaceCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("setTimerSlack", Napi::Function::New(env, SetTimerSlack, "setTimerSlack"));
  exports.Set("setns", Napi::Function::New(env, Setns, "setns"));
  exports.Set("schedGetaffinity", Napi::Function::New(env, SchedGetaffinity, "schedGetaffinity"));
  exports.Set("schedSetaffinity", Napi::Function::New(env, SchedSetaffinity, "schedSetaffinity"));
}

}  // namespace iobench
