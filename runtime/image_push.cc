// BytePipe and PushImage: the saver thread writes the source's tarball into
// the pipe, the calling thread's upload reads it out into the target.

#include "runtime/image_push.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>

namespace baton::runtime {

BytePipe::BytePipe(size_t capacity, std::stop_token stop)
    : ring_(std::max<size_t>(capacity, 1)), stop_(std::move(stop)) {}

Status BytePipe::Write(std::string_view data) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!data.empty()) {
    changed_.wait(lock, stop_, [&] { return read_closed_ || size_ < ring_.size(); });
    if (stop_.stop_requested()) return Error::Internal("", "interrupted");
    if (read_closed_) return Error::Internal("", "the reader stopped");
    size_t tail = (head_ + size_) % ring_.size();
    size_t room = std::min(ring_.size() - size_, ring_.size() - tail);  // contiguous
    size_t n = std::min(room, data.size());
    std::copy_n(data.data(), n, ring_.begin() + static_cast<std::ptrdiff_t>(tail));
    size_ += n;
    data.remove_prefix(n);
    changed_.notify_all();
  }
  return Status::Ok();
}

void BytePipe::CloseWrite(Status status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    write_closed_ = true;
    write_status_ = std::move(status);
  }
  changed_.notify_all();
}

Result<size_t> BytePipe::Read(std::span<char> buffer) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, stop_, [&] { return write_closed_ || size_ > 0; });
  if (stop_.stop_requested()) return Error::Internal("", "interrupted");
  if (size_ == 0) {
    if (!write_status_.ok()) return write_status_.error();
    return size_t{0};
  }
  size_t n = std::min({buffer.size(), size_, ring_.size() - head_});  // contiguous
  std::copy_n(ring_.begin() + static_cast<std::ptrdiff_t>(head_), n, buffer.begin());
  head_ = (head_ + n) % ring_.size();
  size_ -= n;
  changed_.notify_all();
  return n;
}

void BytePipe::CloseRead() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    read_closed_ = true;
  }
  changed_.notify_all();
}

Status PushImage(DockerClient& from, DockerClient& to, const std::string& image,
                 const std::function<void(std::uint64_t)>& on_bytes, std::stop_token stop,
                 size_t buffer_bytes) {
  BytePipe pipe(buffer_bytes, stop);
  std::optional<Error> save_error;
  bool reader_gone = false;  // the save failed only because the load ended first
  std::jthread saver([&] {
    Status saved = from.SaveImages(
        {image},
        [&](std::string_view data) {
          Status written = pipe.Write(data);
          reader_gone = !written.ok();
          return written;
        },
        stop);
    if (!saved.ok()) save_error = saved.error();
    pipe.CloseWrite(saved);
  });
  std::uint64_t sent = 0;
  Result<std::vector<std::string>> loaded = to.LoadImages(
      [&](std::span<char> buffer) -> Result<size_t> {
        Result<size_t> n = pipe.Read(buffer);
        if (n.ok() && *n > 0 && on_bytes) on_bytes(sent += *n);
        return n;
      },
      stop);
  pipe.CloseRead();  // a load that ended early must not leave the saver blocked
  saver.join();
  // When both failed, the save is the cause unless it failed writing into a
  // pipe the load had already given up on: otherwise the load only saw the
  // save's error through the pipe, or a tarball cut short.
  if (save_error && !(reader_gone && !loaded.ok())) return save_error->Within("save");
  if (!loaded.ok()) return loaded.error().Within("load");
  if (stop.stop_requested()) return Error::Internal("", "interrupted");
  return Status::Ok();
}

}  // namespace baton::runtime
