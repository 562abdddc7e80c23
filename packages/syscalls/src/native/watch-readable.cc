// watchReadable(fd, onReadable): readiness of any fd (e.g. an epoll fd) delivered on Node's own event
// loop through a libuv poll handle, so a loop can wait without blocking the JS thread.
#include <uv.h>

#include <memory>

#include "addon.h"

namespace iobench {

struct Watch {
  uv_poll_t handle;
  napi_env env;
  Napi::FunctionReference onReadable;
  std::unique_ptr<Napi::AsyncContext> context;
  bool stopped = false;
};

static void FreeWatch(uv_handle_t* handle) { delete static_cast<Watch*>(handle->data); }
static void CleanupHook(void* arg);

// Stops the handle and lets libuv free it; safe to call more than once and from inside the callback.
static void StopWatch(Watch* watch, bool fromCleanupHook) {
  if (watch->stopped) return;
  watch->stopped = true;
  if (!fromCleanupHook) {
    napi_remove_env_cleanup_hook(watch->env, CleanupHook, watch);
  }
  uv_poll_stop(&watch->handle);
  watch->onReadable.Reset();
  watch->context.reset();
  uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), FreeWatch);
}

void CleanupHook(void* arg) { StopWatch(static_cast<Watch*>(arg), true); }

static void OnPoll(uv_poll_t* handle, int status, int events) {
  auto* watch = static_cast<Watch*>(handle->data);
  if (watch->stopped) return;
  Napi::Env env(watch->env);
  Napi::HandleScope scope(env);
  // MakeCallback runs queued microtasks afterwards, as any libuv-driven callback in Node does.
  watch->onReadable.MakeCallback(env.Global(), {}, *watch->context);
  if (env.IsExceptionPending()) {
    Napi::Error error = env.GetAndClearPendingException();
    napi_fatal_exception(env, error.Value());
  }
}

static Napi::Value StopFromJs(const Napi::CallbackInfo& info) {
  StopWatch(static_cast<Watch*>(info.Data()), false);
  return info.Env().Undefined();
}

static Napi::Value WatchReadable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  if (!info[1].IsFunction()) {
    Napi::TypeError::New(env, "argument 1 (onReadable) must be a function").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  auto* watch = new Watch();
  watch->env = env;
  int rc = uv_poll_init(loop, &watch->handle, fd);
  if (rc != 0) {
    delete watch;
    return ThrowErrno(env, -rc, "uv_poll_init");
  }
  watch->handle.data = watch;
  rc = uv_poll_start(&watch->handle, UV_READABLE, OnPoll);
  if (rc != 0) {
    watch->stopped = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle), FreeWatch);
    return ThrowErrno(env, -rc, "uv_poll_start");
  }
  watch->onReadable = Napi::Persistent(info[1].As<Napi::Function>());
  watch->context = std::make_unique<Napi::AsyncContext>(env, "iobench:watchReadable");
  napi_add_env_cleanup_hook(env, CleanupHook, watch);
  Napi::Object handle = Napi::Object::New(env);
  handle.Set("stop", Napi::Function::New(env, StopFromJs, "stop", watch));
  return handle;
}

void InitWatchReadable(Napi::Env env, Napi::Object exports) {
  exports.Set("watchReadable", Napi::Function::New(env, WatchReadable, "watchReadable"));
}

}  // namespace iobench
