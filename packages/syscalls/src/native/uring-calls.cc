// io_uring through its raw syscalls (no liburing): io_uring_setup, io_uring_enter, io_uring_register
// and the mmaps of the rings. The ring memory goes to JS as ArrayBuffers over the mapped regions, so
// the JS loop writes SQEs and reads CQEs itself and crosses into the addon once per round (enter).
// Policy (which flags, which ops, fallbacks) stays in TypeScript (src/io-uring/).
#include <linux/io_uring.h>
#include <signal.h>
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>

#include "addon.h"

namespace iobench {

// One mapping handed to JS. The finalizer unmaps it unless unmapRegion already did: a mapping of the
// ring file holds the ring (and every file its requests hold, a listening socket included) open, so
// servers release it explicitly at stop instead of waiting for a garbage collection.
struct Region {
  void* address;
  size_t bytes;
  bool unmapped = false;
};

static void FinalizeRegion(Napi::Env env, void* data, Region* region) {
  // After unmapRegion the address may belong to a newer mapping already: only erase our own entry.
  AddonData* addon = Data(env);
  if (addon != nullptr) {
    auto found = addon->regions.find(region->address);
    if (found != addon->regions.end() && found->second == region) addon->regions.erase(found);
  }
  if (!region->unmapped) ::munmap(region->address, region->bytes);
  delete region;
}

static Napi::Value RegionBuffer(Napi::Env env, void* address, size_t bytes) {
  auto* region = new Region{address, bytes};
  Data(env)->regions[address] = region;
  return Napi::ArrayBuffer::New(env, address, bytes, FinalizeRegion, region);
}

static void* MapRing(napi_env env, int fd, size_t bytes, off_t offset) {
  Count(env, kMmap);
  return ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
}

// ioUringSetup(entries, flags, cqEntries): io_uring_setup(2) and the ring mmaps; throws (setup call).
// Returns { fd, flags, features, sqEntries, cqEntries, sqRing, cqRing, sqes, sqOff, cqOff }; with
// IORING_FEAT_SINGLE_MMAP sqRing and cqRing are the same ArrayBuffer. Offsets are byte offsets.
static Napi::Value IoUringSetup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t entries, flags, cqEntries;
  if (!ArgInt32(info, 0, "entries", &entries) || !ArgInt32(info, 1, "flags", &flags) ||
      !ArgInt32(info, 2, "cqEntries", &cqEntries)) {
    return Napi::Value();
  }
  io_uring_params p = {};
  p.flags = static_cast<uint32_t>(flags);
  p.cq_entries = static_cast<uint32_t>(cqEntries);
  Count(env, kIoUringSetup);
  long fd = Syscall(SYS_io_uring_setup, entries, &p);
  if (fd < 0) return ThrowErrno(env, errno, "io_uring_setup");
  size_t cqeBytes = (p.flags & IORING_SETUP_CQE32) ? 2 * sizeof(io_uring_cqe) : sizeof(io_uring_cqe);
  size_t sqeBytes = (p.flags & IORING_SETUP_SQE128) ? 2 * sizeof(io_uring_sqe) : sizeof(io_uring_sqe);
  size_t sqBytes = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
  size_t cqBytes = p.cq_off.cqes + p.cq_entries * cqeBytes;
  bool single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single) sqBytes = cqBytes = std::max(sqBytes, cqBytes);
  void* sq = MapRing(env, fd, sqBytes, IORING_OFF_SQ_RING);
  void* cq = sq == MAP_FAILED || single ? sq : MapRing(env, fd, cqBytes, IORING_OFF_CQ_RING);
  void* sqes = cq == MAP_FAILED ? MAP_FAILED : MapRing(env, fd, p.sq_entries * sqeBytes, IORING_OFF_SQES);
  if (sqes == MAP_FAILED) {
    int err = errno;
    if (sq != MAP_FAILED) ::munmap(sq, sqBytes);
    if (cq != MAP_FAILED && !single) ::munmap(cq, cqBytes);
    Syscall(SYS_close, fd);
    return ThrowErrno(env, err, "mmap", nullptr, -1, "cannot map the io_uring rings");
  }
  Napi::Object ring = Napi::Object::New(env);
  ring.Set("fd", Int(env, fd));
  ring.Set("flags", Int(env, p.flags));
  ring.Set("features", Int(env, p.features));
  ring.Set("sqEntries", Int(env, p.sq_entries));
  ring.Set("cqEntries", Int(env, p.cq_entries));
  Napi::Value sqRing = RegionBuffer(env, sq, sqBytes);
  ring.Set("sqRing", sqRing);
  ring.Set("cqRing", single ? sqRing : RegionBuffer(env, cq, cqBytes));
  ring.Set("sqes", RegionBuffer(env, sqes, p.sq_entries * sqeBytes));
  Napi::Object sqOff = Napi::Object::New(env);
  sqOff.Set("head", p.sq_off.head);
  sqOff.Set("tail", p.sq_off.tail);
  sqOff.Set("ringMask", p.sq_off.ring_mask);
  sqOff.Set("flags", p.sq_off.flags);
  sqOff.Set("dropped", p.sq_off.dropped);
  sqOff.Set("array", p.sq_off.array);
  ring.Set("sqOff", sqOff);
  Napi::Object cqOff = Napi::Object::New(env);
  cqOff.Set("head", p.cq_off.head);
  cqOff.Set("tail", p.cq_off.tail);
  cqOff.Set("ringMask", p.cq_off.ring_mask);
  cqOff.Set("overflow", p.cq_off.overflow);
  cqOff.Set("cqes", p.cq_off.cqes);
  ring.Set("cqOff", cqOff);
  return ring;
}

// ioUringEnter(fd, toSubmit, minComplete, flags, timeoutMs = -1): submitted count or -errno. The loop's
// one crossing per round. timeoutMs >= 0 bounds the wait (IORING_ENTER_EXT_ARG, Linux 5.11).
static Napi::Value IoUringEnter(const Napi::CallbackInfo& info) {
  int32_t fd, toSubmit, minComplete, flags, timeoutMs = -1;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "toSubmit", &toSubmit) ||
      !ArgInt32(info, 2, "minComplete", &minComplete) || !ArgInt32(info, 3, "flags", &flags)) {
    return Napi::Value();
  }
  if (info.Length() > 4 && !info[4].IsUndefined() && !ArgInt32(info, 4, "timeoutMs", &timeoutMs)) {
    return Napi::Value();
  }
  Count(info.Env(), kIoUringEnter);
  long rc;
  if (timeoutMs >= 0) {
    __kernel_timespec ts = {timeoutMs / 1000, (timeoutMs % 1000) * 1000000LL};
    io_uring_getevents_arg arg = {};
    arg.sigmask_sz = _NSIG / 8;
    arg.ts = reinterpret_cast<uint64_t>(&ts);
    rc = Syscall(SYS_io_uring_enter, fd, toSubmit, minComplete, flags | IORING_ENTER_EXT_ARG, &arg, sizeof arg);
  } else {
    rc = Syscall(SYS_io_uring_enter, fd, toSubmit, minComplete, flags, nullptr, _NSIG / 8);
  }
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// ioUringEnterUs(fd, toSubmit, minComplete, flags, timeoutUs): ioUringEnter with the wait bounded in
// microseconds (>= 0; IORING_ENTER_EXT_ARG), for loops whose next deadline is finer than a
// millisecond (a load generator's next scheduled send). Submitted count or -errno.
static Napi::Value IoUringEnterUs(const Napi::CallbackInfo& info) {
  int32_t fd, toSubmit, minComplete, flags;
  double timeoutUs;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "toSubmit", &toSubmit) ||
      !ArgInt32(info, 2, "minComplete", &minComplete) || !ArgInt32(info, 3, "flags", &flags) ||
      !ArgDouble(info, 4, "timeoutUs", &timeoutUs)) {
    return Napi::Value();
  }
  int64_t us = timeoutUs > 0 ? static_cast<int64_t>(timeoutUs) : 0;
  Count(info.Env(), kIoUringEnter);
  __kernel_timespec ts = {us / 1000000, (us % 1000000) * 1000LL};
  io_uring_getevents_arg arg = {};
  arg.sigmask_sz = _NSIG / 8;
  arg.ts = reinterpret_cast<uint64_t>(&ts);
  long rc = Syscall(SYS_io_uring_enter, fd, toSubmit, minComplete, flags | IORING_ENTER_EXT_ARG, &arg, sizeof arg);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// ioUringRegister(fd, opcode, arg | null, nrArgs): io_uring_register(2) with `arg` as the kernel
// struct (built in JS); result or -errno.
static Napi::Value IoUringRegister(const Napi::CallbackInfo& info) {
  int32_t fd, opcode, nrArgs;
  uint8_t* arg;
  size_t length;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "opcode", &opcode) ||
      !ArgBytes(info, 2, "arg", true, &arg, &length) || !ArgInt32(info, 3, "nrArgs", &nrArgs)) {
    return Napi::Value();
  }
  Count(info.Env(), kIoUringRegister);
  long rc = Syscall(SYS_io_uring_register, fd, opcode, arg, nrArgs);
  return Napi::Value(info.Env(), ResultOrErrno(info.Env(), rc, errno));
}

// ioUringSetupBufRing(fd, entries, bgid): maps page-aligned memory for `entries` struct io_uring_buf
// and registers it as provided-buffer group `bgid` (IORING_REGISTER_PBUF_RING, Linux 5.19); returns
// it as an ArrayBuffer. Throws (setup call), e.g. EINVAL on kernels without buffer rings.
static Napi::Value IoUringSetupBufRing(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd, entries, bgid;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgInt32(info, 1, "entries", &entries) ||
      !ArgInt32(info, 2, "bgid", &bgid)) {
    return Napi::Value();
  }
  if (entries <= 0 || (entries & (entries - 1)) != 0 || entries > 32768 || bgid < 0 || bgid > 65535) {
    return ThrowErrno(env, EINVAL, "io_uring_register", nullptr, -1,
                      "entries must be a power of 2 up to 32768 and bgid 0-65535");
  }
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t bytes = (entries * sizeof(io_uring_buf) + page - 1) / page * page;
  Count(env, kMmap);
  void* ring = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ring == MAP_FAILED) return ThrowErrno(env, errno, "mmap");
  io_uring_buf_reg reg = {};
  reg.ring_addr = reinterpret_cast<uint64_t>(ring);
  reg.ring_entries = static_cast<uint32_t>(entries);
  reg.bgid = static_cast<uint16_t>(bgid);
  Count(env, kIoUringRegister);
  if (Syscall(SYS_io_uring_register, fd, IORING_REGISTER_PBUF_RING, &reg, 1) < 0) {
    int err = errno;
    ::munmap(ring, bytes);
    return ThrowErrno(env, err, "io_uring_register", nullptr, -1, "IORING_REGISTER_PBUF_RING failed");
  }
  return RegionBuffer(env, ring, bytes);
}

// unmapRegion(buffer): detaches an ArrayBuffer made by ioUringSetup / ioUringSetupBufRing (its views
// read as empty from then on, so JS cannot touch freed memory) and unmaps it; idempotent.
static Napi::Value UnmapRegion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) {
    Napi::TypeError::New(env, "argument 0 (buffer) must be an ArrayBuffer from ioUringSetup or ioUringSetupBufRing")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  if (buffer.IsDetached()) return env.Undefined();
  auto& regions = Data(env)->regions;
  auto found = regions.find(buffer.Data());
  if (found == regions.end()) {
    Napi::TypeError::New(env, "argument 0 (buffer) is not a region mapped by the addon").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Region* region = found->second;
  regions.erase(found);
  buffer.Detach();
  ::munmap(region->address, region->bytes);
  region->unmapped = true;
  return env.Undefined();
}

// address(view): the address of a Uint8Array's first byte, for SQE fields that take a user pointer.
// The caller keeps the view's buffer alive until the kernel is done with it (its final CQE).
static Napi::Value Address(const Napi::CallbackInfo& info) {
  uint8_t* data;
  size_t length;
  if (!ArgBytes(info, 0, "view", false, &data, &length)) return Napi::Value();
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(data)));
}

// io_uring constants from this machine's headers, added to `constants`.
static void SetUringConstants(Napi::Env env, Napi::Object c) {
#define IOB_CONSTANT(name) c.Set(#name, Napi::Number::New(env, name))
  IOB_CONSTANT(IORING_OP_NOP); IOB_CONSTANT(IORING_OP_POLL_ADD); IOB_CONSTANT(IORING_OP_ACCEPT);
  IOB_CONSTANT(IORING_OP_ASYNC_CANCEL); IOB_CONSTANT(IORING_OP_CLOSE); IOB_CONSTANT(IORING_OP_READ);
  IOB_CONSTANT(IORING_OP_SEND); IOB_CONSTANT(IORING_OP_RECV); IOB_CONSTANT(IORING_OP_SHUTDOWN);
  IOB_CONSTANT(IORING_OP_CONNECT);
  IOB_CONSTANT(IORING_OP_LAST);
  IOB_CONSTANT(IORING_SETUP_CQSIZE); IOB_CONSTANT(IORING_SETUP_SUBMIT_ALL); IOB_CONSTANT(IORING_SETUP_COOP_TASKRUN);
  IOB_CONSTANT(IORING_SETUP_SINGLE_ISSUER); IOB_CONSTANT(IORING_SETUP_DEFER_TASKRUN);
  IOB_CONSTANT(IORING_ENTER_GETEVENTS);
  IOB_CONSTANT(IORING_FEAT_SINGLE_MMAP); IOB_CONSTANT(IORING_FEAT_NODROP); IOB_CONSTANT(IORING_FEAT_FAST_POLL);
  IOB_CONSTANT(IORING_FEAT_EXT_ARG); IOB_CONSTANT(IORING_FEAT_NATIVE_WORKERS); IOB_CONSTANT(IORING_FEAT_CQE_SKIP);
  IOB_CONSTANT(IOSQE_FIXED_FILE); IOB_CONSTANT(IOSQE_IO_LINK); IOB_CONSTANT(IOSQE_BUFFER_SELECT);
  IOB_CONSTANT(IOSQE_CQE_SKIP_SUCCESS);
  IOB_CONSTANT(IORING_CQE_F_BUFFER); IOB_CONSTANT(IORING_CQE_F_MORE); IOB_CONSTANT(IORING_CQE_BUFFER_SHIFT);
  IOB_CONSTANT(IORING_RECV_MULTISHOT); IOB_CONSTANT(IORING_ACCEPT_MULTISHOT); IOB_CONSTANT(IORING_POLL_ADD_MULTI);
  IOB_CONSTANT(IORING_ASYNC_CANCEL_ALL); IOB_CONSTANT(IORING_ASYNC_CANCEL_FD); IOB_CONSTANT(IORING_ASYNC_CANCEL_ANY);
  IOB_CONSTANT(IORING_REGISTER_PROBE); IOB_CONSTANT(IO_URING_OP_SUPPORTED);
  IOB_CONSTANT(ENOMEM); IOB_CONSTANT(ENOBUFS); IOB_CONSTANT(ENOENT); IOB_CONSTANT(EBUSY); IOB_CONSTANT(ETIME);
  IOB_CONSTANT(EPERM); IOB_CONSTANT(EACCES); IOB_CONSTANT(EALREADY); IOB_CONSTANT(EOPNOTSUPP);
#undef IOB_CONSTANT
}

void InitUringCalls(Napi::Env env, Napi::Object exports) {
  SetUringConstants(env, exports.Get("constants").As<Napi::Object>());
  exports.Set("ioUringSetup", Napi::Function::New(env, IoUringSetup, "ioUringSetup"));
  exports.Set("ioUringEnter", Napi::Function::New(env, IoUringEnter, "ioUringEnter"));
  exports.Set("ioUringEnterUs", Napi::Function::New(env, IoUringEnterUs, "ioUringEnterUs"));
  exports.Set("ioUringRegister", Napi::Function::New(env, IoUringRegister, "ioUringRegister"));
  exports.Set("ioUringSetupBufRing", Napi::Function::New(env, IoUringSetupBufRing, "ioUringSetupBufRing"));
  exports.Set("unmapRegion", Napi::Function::New(env, UnmapRegion, "unmapRegion"));
  exports.Set("address", Napi::Function::New(env, Address, "address"));
}

}  // namespace iobench
