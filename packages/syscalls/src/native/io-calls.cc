// Hot-path calls on connections and eventfds. They return the result or -errno and never throw for
// an errno: a loop handles EAGAIN, ECONNRESET or EMFILE as data, not as exceptions. They enter the
// kernel through Syscall (addon.h) so that perf's call chains stay joined.
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "addon.h"

namespace iobench {

// Reads (fd, buf, offset, length, flags) and checks that [offset, offset+length) lies in buf.
static bool ArgRange(const Napi::CallbackInfo& info, int32_t* fd, uint8_t** data, int32_t* length, int32_t* flags) {
  uint8_t* bytes;
  size_t byteLength;
  int32_t offset;
  if (!ArgInt32(info, 0, "fd", fd) || !ArgBytes(info, 1, "buf", false, &bytes, &byteLength) ||
      !ArgInt32(info, 2, "offset", &offset) || !ArgInt32(info, 3, "length", length) ||
      !ArgInt32(info, 4, "flags", flags)) {
    return false;
  }
  if (offset < 0 || *length < 0 || static_cast<size_t>(offset) + static_cast<size_t>(*length) > byteLength) {
    Napi::RangeError::New(info.Env(), "offset " + std::to_string(offset) + " + length " + std::to_string(*length) +
                                          " must lie within the buffer's " + std::to_string(byteLength) + " bytes")
        .ThrowAsJavaScriptException();
    return false;
  }
  *data = bytes + offset;
  return true;
}

// accept4(fd, flags): new fd or -errno
static Napi::Value Accept4(const Napi::CallbackInfo& info) {
  int32_t fd, flags;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "flags", &flags)) return Napi::Value();
  Count(info.Env(), kAccept4);
  long rc = Syscall(SYS_accept4, fd, nullptr, nullptr, flags);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// recv(fd, buf, offset, length, flags): bytes read, 0 at EOF, or -errno
static Napi::Value Recv(const Napi::CallbackInfo& info) {
  int32_t fd, length, flags;
  uint8_t* data;
  if (!ArgRange(info, &fd, &data, &length, &flags)) return Napi::Value();
  Count(info.Env(), kRecv);
  // recv(2) is recvfrom(2) without an address, as glibc issues it.
  long rc = Syscall(SYS_recvfrom, fd, data, length, flags, nullptr, nullptr);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// send(fd, buf, offset, length, flags): bytes sent or -errno; MSG_NOSIGNAL is always added so a
// closed peer gives -EPIPE instead of killing the process with SIGPIPE.
static Napi::Value Send(const Napi::CallbackInfo& info) {
  int32_t fd, length, flags;
  uint8_t* data;
  if (!ArgRange(info, &fd, &data, &length, &flags)) return Napi::Value();
  Count(info.Env(), kSend);
  // send(2) is sendto(2) without an address, as glibc issues it.
  long rc = Syscall(SYS_sendto, fd, data, length, flags | MSG_NOSIGNAL, nullptr, 0);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// shutdown(fd, how): 0 or -errno
static Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  int32_t fd, how;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "how", &how)) return Napi::Value();
  Count(info.Env(), kShutdown);
  long rc = Syscall(SYS_shutdown, fd, how);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// close(fd): 0 or -errno
static Napi::Value Close(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  Count(info.Env(), kClose);
  long rc = Syscall(SYS_close, fd);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// eventfd(initval, flags): fd; throws (setup call)
static Napi::Value Eventfd(const Napi::CallbackInfo& info) {
  int32_t initval, flags;
  if (!ArgInt32(info, 0, "initval", &initval) || !ArgInt32(info, 1, "flags", &flags)) return Napi::Value();
  Count(info.Env(), kEventfd);
  int fd = ::eventfd(static_cast<unsigned>(initval), flags);
  if (fd < 0) return ThrowErrno(info.Env(), errno, "eventfd");
  return Napi::Value(info.Env(), Int(info.Env(), fd));
}

// eventfdWrite(fd, value): 0 or -errno
static Napi::Value EventfdWrite(const Napi::CallbackInfo& info) {
  int32_t fd;
  double value;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgDouble(info, 1, "value", &value)) return Napi::Value();
  uint64_t counter = static_cast<uint64_t>(value);
  Count(info.Env(), kWrite);
  long rc = Syscall(SYS_write, fd, &counter, sizeof counter);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc < 0 ? rc : 0, errno));
}

// eventfdRead(fd): the counter value (reset by the read) or -errno
static Napi::Value EventfdRead(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "fd", &fd)) return Napi::Value();
  uint64_t counter = 0;
  Count(info.Env(), kRead);
  long rc = Syscall(SYS_read, fd, &counter, sizeof counter);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc < 0 ? rc : static_cast<int64_t>(counter), errno));
}

void InitIoCalls(Napi::Env env, Napi::Object exports) {
  exports.Set("accept4", Napi::Function::New(env, Accept4, "accept4"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("eventfd", Napi::Function::New(env, Eventfd, "eventfd"));
  exports.Set("eventfdWrite", Napi::Function::New(env, EventfdWrite, "eventfdWrite"));
  exports.Set("eventfdRead", Napi::Function::New(env, EventfdRead, "eventfdRead"));
}

}  // namespace iobench
