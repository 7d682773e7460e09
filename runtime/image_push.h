#pragma once
// Copying an image from one engine to another without a registry: `docker
// save` on the source streamed straight into `docker load` on the target
// (over the target's SSH tunnel), through a bounded buffer between two
// threads, so an image of any size costs a few MiB of memory.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

// A byte pipe of fixed capacity between one writer thread and one reader
// thread. Both sides block while the pipe is full (writer) or empty
// (reader), and wake when `stop` is requested (then failing with kInternal
// "interrupted").
class BytePipe {
 public:
  BytePipe(size_t capacity, std::stop_token stop);
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // Appends all of `data`, waiting for room as needed. Fails once the reader
  // has closed its end (kInternal "the reader stopped") or on stop.
  Status Write(std::string_view data);
  // No more data: the reader drains what is left, then reads 0 bytes, or
  // fails with `status` when that is an error.
  void CloseWrite(Status status);
  // Copies up to buffer.size() bytes and returns how many; waits while the
  // pipe is empty and still open. 0 at the end.
  Result<size_t> Read(std::span<char> buffer);
  // The reader is gone: pending and later writes fail.
  void CloseRead();

 private:
  std::vector<char> ring_;
  size_t head_ = 0;            // next byte to read; guarded by mu_
  size_t size_ = 0;            // bytes held; guarded by mu_
  bool write_closed_ = false;  // guarded by mu_
  bool read_closed_ = false;   // guarded by mu_
  Status write_status_;        // guarded by mu_
  std::stop_token stop_;
  std::mutex mu_;
  std::condition_variable_any changed_;
};

// Streams `image` ("apply-test/pushed:1") from `from` into `to` and calls
// `on_bytes` with the bytes sent so far after each piece (on the calling
// thread). Errors: the source's (at its host) when saving fails, the
// target's when loading fails; kInternal "interrupted" on stop.
Status PushImage(DockerClient& from, DockerClient& to, const std::string& image,
                 const std::function<void(std::uint64_t sent)>& on_bytes, std::stop_token stop,
                 size_t buffer_bytes = 4 << 20);

}  // namespace baton::runtime
