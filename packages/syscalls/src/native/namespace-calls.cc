// Namespace calls: setns(2), so that a thread can enter a network namespace the run created (and
// return to its own) around creating sockets, threads and child processes, which inherit it.
#include <sched.h>

#include <cerrno>

#include "addon.h"

namespace iobench {

// setns(fd, nstype): moves the calling thread into the namespace `fd` refers to
static Napi::Value Setns(const Napi::CallbackInfo& info) {
  int32_t fd, nstype;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "nstype", &nstype)) return Napi::Value();
  if (::setns(fd, nstype) < 0) return ThrowErrno(info.Env(), errno, "setns");
  return info.Env().Undefined();
}

void InitNamespaceCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("setns", Napi::Function::New(env, Setns, "setns"));
}

}  // namespace iobench
