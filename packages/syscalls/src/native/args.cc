// Argument checks and result/error shaping shared by every call.
#include <uv.h>

#include <cmath>
#include <string>

#include "addon.h"

namespace iobench {

static bool Fail(const Napi::CallbackInfo& info, size_t i, const char* name, const char* expected) {
  std::string message = std::string("argument ") + std::to_string(i) + " (" + name + ") must be " + expected;
  Napi::TypeError::New(info.Env(), message).ThrowAsJavaScriptException();
  return false;
}

bool ArgInt32(const Napi::CallbackInfo& info, size_t i, const char* name, int32_t* out) {
  double value;
  if (napi_get_value_double(info.Env(), info[i], &value) != napi_ok || std::trunc(value) != value ||
      value < INT32_MIN || value > INT32_MAX) {
    return Fail(info, i, name, "a 32-bit integer");
  }
  *out = static_cast<int32_t>(value);
  return true;
}

bool ArgDouble(const Napi::CallbackInfo& info, size_t i, const char* name, double* out) {
  if (napi_get_value_double(info.Env(), info[i], out) != napi_ok) return Fail(info, i, name, "a number");
  return true;
}

bool ArgString(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out) {
  if (!info[i].IsString()) return Fail(info, i, name, "a string");
  *out = info[i].As<Napi::String>().Utf8Value();
  return true;
}

bool ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* name, bool allowNull,
              uint8_t** data, size_t* length) {
  napi_value value = info[i];
  if (allowNull && (info[i].IsNull() || info[i].IsUndefined())) {
    *data = nullptr;
    *length = 0;
    return true;
  }
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(info.Env(), value, &type, length, &raw, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    return Fail(info, i, name, allowNull ? "a Uint8Array or null" : "a Uint8Array");
  }
  *data = static_cast<uint8_t*>(raw);
  return true;
}

napi_value Int(napi_env env, int64_t value) {
  napi_value result;
  if (value >= INT32_MIN && value <= INT32_MAX) {
    napi_create_int32(env, static_cast<int32_t>(value), &result);
  } else {
    napi_create_double(env, static_cast<double>(value), &result);
  }
  return result;
}

napi_value ResultOrErrno(napi_env env, int64_t rc, int err) { return Int(env, rc < 0 ? -err : rc); }

Napi::Value ThrowErrno(Napi::Env env, int err, const char* syscall, const char* address, int port,
                       const char* detail) {
  // libuv's error codes on Unix are -errno, so its names match Node's err.code values.
  const char* code = uv_err_name(-err);
  std::string message = std::string(syscall) + " " + code + ": " + (detail ? detail : uv_strerror(-err));
  if (address != nullptr) {
    message += std::string(" ") + address;
    if (port >= 0) message += ":" + std::to_string(port);
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("errno", Napi::Number::New(env, -err));
  error.Set("code", Napi::String::New(env, code));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (address != nullptr) error.Set("address", Napi::String::New(env, address));
  if (port >= 0) error.Set("port", Napi::Number::New(env, port));
  error.ThrowAsJavaScriptException();
  return Napi::Value();
}

}  // namespace iobench
