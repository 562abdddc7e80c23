// One OS thread per request, for the epoll-thread server: what Python's threading.Thread(...).start()
// does, without a V8 isolate per thread. The JS loop frames the request and picks the answer; the
// thread does the handler work and the send(2), reports through a pipe and ends. Same rules as the
// rest of the addon: argument checks, the syscalls, errno out, no static state. A thread touches no
// JS memory (it owns a copy of the answer), so nothing it does depends on the garbage collector.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "addon.h"

namespace iobench {

// What a thread writes to the done pipe as its last act. 16 bytes <= PIPE_BUF, so concurrent writes
// never interleave and every read of a multiple of 16 bytes returns whole records.
struct ThreadRecord {
  int32_t fd;      // the connection it answered
  int32_t result;  // bytes sent (short when the socket buffer filled), or -errno (-ECANCELED: stopped)
  int32_t sends;   // send(2) calls it made
  int32_t polls;   // ppoll(2) calls it made (the wait, or cancel checks during a long spin)
};

struct RequestTask {
  int fd;
  int workKind;  // 0 none, 1 cpu (spin), 2 wait
  int64_t workNs;
  int doneFd;
  int cancelFd;
  std::vector<uint8_t> answer;
};

// Stack of a request thread: it needs a few KiB; this bounds maxThreads' virtual memory.
static constexpr size_t kThreadStackBytes = 128 * 1024;
// A spin looks at the cancel eventfd once per this much spinning.
static constexpr int64_t kSpinCheckNs = 1000000;
// Records taken per readThreadRecords (a stack buffer of 4 KiB).
static constexpr size_t kRecordsPerRead = 256;

static int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // vDSO: no syscall
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Waits up to timeoutNs for the cancel eventfd (written once at stop): true if it is set.
static bool Cancelled(int cancelFd, int64_t timeoutNs, int32_t* polls) {
  pollfd pfd{cancelFd, POLLIN, 0};
  timespec timeout{static_cast<time_t>(timeoutNs / 1000000000LL), static_cast<long>(timeoutNs % 1000000000LL)};
  (*polls)++;
  return Syscall(SYS_ppoll, &pfd, 1, &timeout, nullptr, 0) > 0;
}

// The handler work: a spin on the clock (a compute-bound handler; a spin past 1 ms looks at the
// cancel eventfd once per ms so stop never waits on it) or a ppoll on the cancel eventfd with the
// wait as timeout (a blocking backend call that stop can cut short). True if cancelled.
static bool DoWork(const RequestTask& task, int32_t* polls) {
  if (task.workKind == 1) {
    int64_t end = NowNs() + task.workNs;
    int64_t check = NowNs() + kSpinCheckNs;
    for (int64_t now = NowNs(); now < end; now = NowNs()) {
      if (now >= check) {
        if (Cancelled(task.cancelFd, 0, polls)) return true;
        check = now + kSpinCheckNs;
      }
    }
    return false;
  }
  if (task.workKind == 2) return Cancelled(task.cancelFd, task.workNs, polls);
  return false;
}

static void* RunRequest(void* arg) {
  RequestTask* task = static_cast<RequestTask*>(arg);
  ThreadRecord record{task->fd, 0, 0, 0};
  if (DoWork(*task, &record.polls)) {
    record.result = -ECANCELED;
  } else {
    // The socket is non-blocking: send what the kernel takes; the loop flushes a short send's rest.
    size_t sent = 0;
    while (sent < task->answer.size()) {
      record.sends++;
      long n = Syscall(SYS_sendto, task->fd, task->answer.data() + sent, task->answer.size() - sent,
                       MSG_NOSIGNAL, nullptr, 0);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        if (n < 0 && errno != EAGAIN) record.result = -errno;
        break;
      }
    }
    if (record.result == 0) record.result = static_cast<int32_t>(sent);
  }
  // The write end is blocking: a full pipe delays this thread, never loses its record.
  while (Syscall(SYS_write, task->doneFd, &record, sizeof record) < 0 && errno == EINTR) {
  }
  delete task;
  return nullptr;
}

// spawnRequestThread(fd, answer, workKind, workUs, doneFd, cancelFd): 0, or -errno from
// pthread_create (-EAGAIN: out of threads). The new thread blocks every signal, so its syscalls see
// no EINTR and Node's signal handling stays on Node's threads.
static Napi::Value SpawnRequestThread(const Napi::CallbackInfo& info) {
  int32_t fd, workKind, doneFd, cancelFd;
  double workUs;
  uint8_t* answer;
  size_t length;
  if (!ArgInt32(info, 0, "fd", &fd) || !ArgBytes(info, 1, "answer", false, &answer, &length) ||
      !ArgInt32(info, 2, "workKind", &workKind) || !ArgDouble(info, 3, "workUs", &workUs) ||
      !ArgInt32(info, 4, "doneFd", &doneFd) || !ArgInt32(info, 5, "cancelFd", &cancelFd)) {
    return Napi::Value();
  }
  if (workKind < 0 || workKind > 2 || !(workUs >= 0) || workUs > 3.6e9 || length > INT32_MAX) {
    Napi::RangeError::New(info.Env(), "workKind must be 0, 1 or 2, workUs 0-3.6e9 and answer < 2 GiB (got " +
                                          std::to_string(workKind) + ", " + std::to_string(workUs) + ")")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  auto* task = new RequestTask{fd, workKind, static_cast<int64_t>(workUs * 1000.0), doneFd, cancelFd,
                               std::vector<uint8_t>(answer, answer + length)};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kThreadStackBytes);
  sigset_t all;
  sigfillset(&all);
  pthread_attr_setsigmask_np(&attr, &all);
  pthread_t thread;
  Count(info.Env(), kClone);
  int rc = pthread_create(&thread, &attr, RunRequest, task);
  pthread_attr_destroy(&attr);
  if (rc != 0) delete task;
  return Napi::Value(info.Env(), Int(info.Env(), -rc));
}

// readThreadRecords(doneFd, out): records read, each as out[2i] = fd, out[2i+1] = result; -errno
// (-EAGAIN: none yet). Counts each reaped thread's own syscalls (send, ppoll, its write) into the
// calling thread's counters, so the threads never touch the counters' memory.
static Napi::Value ReadThreadRecords(const Napi::CallbackInfo& info) {
  int32_t fd;
  if (!ArgInt32(info, 0, "doneFd", &fd)) return Napi::Value();
  napi_typedarray_type type;
  size_t length = 0;
  void* raw = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[1], &type, &length, &raw, nullptr, nullptr) != napi_ok ||
      type != napi_int32_array || length < 2) {
    Napi::TypeError::New(info.Env(), "argument 1 (out) must be an Int32Array of at least 2 elements")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  ThreadRecord records[kRecordsPerRead];
  size_t wanted = length / 2 < kRecordsPerRead ? length / 2 : kRecordsPerRead;
  Count(info.Env(), kRead);
  long rc = Syscall(SYS_read, fd, records, wanted * sizeof(ThreadRecord));
  if (rc < 0) return Napi::Value(info.Env(), Int(info.Env(), -errno));
  long n = rc / static_cast<long>(sizeof(ThreadRecord));
  auto* out = static_cast<int32_t*>(raw);
  for (long i = 0; i < n; i++) {
    out[2 * i] = records[i].fd;
    out[2 * i + 1] = records[i].result;
    Count(info.Env(), kSend, records[i].sends);
    Count(info.Env(), kPpoll, records[i].polls);
    Count(info.Env(), kWrite);
  }
  return Napi::Value(info.Env(), Int(info.Env(), n));
}

// pipe2(flags): [readFd, writeFd]; throws (setup call)
static Napi::Value Pipe2(const Napi::CallbackInfo& info) {
  int32_t flags;
  if (!ArgInt32(info, 0, "flags", &flags)) return Napi::Value();
  int fds[2];
  Count(info.Env(), kPipe2);
  if (::pipe2(fds, flags) < 0) return ThrowErrno(info.Env(), errno, "pipe2");
  Napi::Array pair = Napi::Array::New(info.Env(), 2);
  pair.Set(0u, Napi::Number::New(info.Env(), fds[0]));
  pair.Set(1u, Napi::Number::New(info.Env(), fds[1]));
  return pair;
}

void InitRequestThreads(Napi::Env env, Napi::Object exports) {
  exports.Set("spawnRequestThread", Napi::Function::New(env, SpawnRequestThread, "spawnRequestThread"));
  exports.Set("readThreadRecords", Napi::Function::New(env, ReadThreadRecords, "readThreadRecords"));
  exports.Set("pipe2", Napi::Function::New(env, Pipe2, "pipe2"));
}

}  // namespace iobench
