// RunExecSession: create, start attached, relay, read the exit code.
//
// The relay is one poll loop over the connection, the local input and the
// wake descriptor. The connection is written without blocking from a bounded
// buffer: blocking on a full socket while the command blocks on its full
// output (a `cat` fed a large file) would deadlock both.

#include "runtime/exec_session.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "runtime/docker_client.h"
#include "runtime/docker_stream.h"

namespace baton::runtime {
namespace {

constexpr std::size_t kInputBufferLimit = 64 << 10;
constexpr std::size_t kReadSize = 32 << 10;

std::string ErrnoText(int error) { return std::strerror(error); }

// Writes all of `data` to a local descriptor, waiting when it is non-blocking.
Status WriteLocal(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    return Error::Internal("", "write output: " + ErrnoText(n < 0 ? errno : EIO));
  }
  return Status::Ok();
}

class ExecRelay {
 public:
  ExecRelay(HijackedConnection& connection, const ExecSessionIo& io, bool tty, bool with_input,
            std::function<void()> on_resize)
      : connection_(connection),
        io_(io),
        tty_(tty),
        input_open_(with_input && io.in_fd >= 0),
        on_resize_(std::move(on_resize)),
        demuxer_([this](StreamKind kind, std::string_view data) { return Deliver(kind, data); }) {}

  // True when the command's output ended, false when on_wake said stop.
  Result<bool> Run() {
    if (Status s = FromConnection(connection_.TakeEarlyBytes()); !s.ok()) return s.error();
    if (!input_open_) CloseInput();
    while (!output_ended_) {
      Result<bool> more = Step();
      if (!more.ok()) return more.error();
      if (!*more) return false;
    }
    if (!tty_) {
      if (Status s = demuxer_.Finish(); !s.ok()) return Error::Internal(connection_.where(),
                                                                         s.error().message);
    }
    return true;
  }

 private:
  // One poll round. False when on_wake said stop.
  Result<bool> Step() {
    pollfd fds[3] = {{connection_.fd(), POLLIN, 0}, {-1, POLLIN, 0}, {io_.wake_fd, POLLIN, 0}};
    if (!to_connection_.empty()) fds[0].events |= POLLOUT;
    if (input_open_ && to_connection_.size() < kInputBufferLimit) fds[1].fd = io_.in_fd;
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) return true;
      return Error::Internal("", "poll: " + ErrnoText(errno));
    }
    if (fds[2].revents != 0 && io_.on_wake) {
      ExecWake wake = io_.on_wake();
      if (wake == ExecWake::kStop) return false;
      if (wake == ExecWake::kResized) on_resize_();
    }
    if (fds[1].revents != 0) ReadInput();
    if ((fds[0].revents & POLLOUT) != 0) WriteConnection();
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      if (Status s = ReadConnection(); !s.ok()) return s.error();
    }
    return true;
  }

  void ReadInput() {
    char buffer[kReadSize];
    ssize_t n = ::read(io_.in_fd, buffer, sizeof buffer);
    if (n > 0) to_connection_.append(buffer, static_cast<std::size_t>(n));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {  // end of file, or an input that broke (a closed terminal): no more input
      input_open_ = false;
      if (to_connection_.empty()) CloseInput();
    }
  }

  void WriteConnection() {
    ssize_t n = ::send(connection_.fd(), to_connection_.data(), to_connection_.size(), MSG_NOSIGNAL);
    if (n > 0) to_connection_.erase(0, static_cast<std::size_t>(n));
    if (n < 0 && errno != EINTR && errno != EAGAIN) {
      // The engine no longer reads input (the command ended); its output may still come.
      to_connection_.clear();
      input_open_ = false;
    }
    if (to_connection_.empty() && !input_open_) CloseInput();
  }

  void CloseInput() {
    if (input_closed_) return;
    input_closed_ = true;
    (void)connection_.CloseWrite();  // a connection already gone shows as end of output
  }

  Status ReadConnection() {
    char buffer[kReadSize];
    ssize_t n = ::recv(connection_.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Status::Ok();
    if (n < 0 && errno != ECONNRESET)
      return Error::Unreachable(connection_.where(), "exec stream: " + ErrnoText(errno));
    if (n <= 0) {
      output_ended_ = true;
      return Status::Ok();
    }
    return FromConnection(std::string_view(buffer, static_cast<std::size_t>(n)));
  }

  Status FromConnection(std::string_view data) {
    if (data.empty()) return Status::Ok();
    if (tty_) {
      if (!Deliver(StreamKind::kStdout, data)) return *write_error_;
      return Status::Ok();
    }
    Result<bool> more = demuxer_.Feed(data);
    if (write_error_) return *write_error_;
    if (!more.ok()) return Error::Internal(connection_.where(), more.error().message);
    return Status::Ok();
  }

  bool Deliver(StreamKind kind, std::string_view data) {
    Status s = WriteLocal(kind == StreamKind::kStderr ? io_.err_fd : io_.out_fd, data);
    if (!s.ok()) write_error_ = s.error();
    return s.ok();
  }

  HijackedConnection& connection_;
  const ExecSessionIo& io_;
  const bool tty_;
  bool input_open_;
  bool input_closed_ = false;
  bool output_ended_ = false;
  std::function<void()> on_resize_;
  StreamDemuxer demuxer_;
  std::string to_connection_;
  std::optional<Error> write_error_;
};

// Sends the terminal size. Right after start the engine may not have started
// the process yet and refuses; like the docker CLI, try a few times.
void SendSize(DockerClient& docker, const std::string& exec_id, const ExecSessionIo& io,
              int attempts) {
  if (!io.terminal_size) return;
  std::optional<TerminalSize> size = io.terminal_size();
  if (!size || size->rows <= 0 || size->columns <= 0) return;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (docker.ResizeExec(exec_id, *size).ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
  }
}

// The exit code can trail the end of the output by a moment.
Result<std::int64_t> ExitCode(DockerClient& docker, const std::string& exec_id) {
  for (int attempt = 0; attempt < 80; ++attempt) {
    Result<ExecStatus> status = docker.InspectExec(exec_id);
    if (!status.ok()) return status.error().Within("inspect exec");
    if (status->exit_code) return *status->exit_code;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return Error::Internal(docker.host().empty() ? "" : "host " + docker.host(),
                         "exec " + exec_id + " still runs after its output ended");
}

}  // namespace

Result<ExecOutcome> RunExecSession(DockerClient& docker, std::string_view container,
                                   const ExecCreateSpec& spec, const ExecSessionIo& io) {
  Result<std::string> exec_id = docker.CreateExec(container, spec);
  if (!exec_id.ok()) return exec_id.error().Within("create exec");
  Result<HijackedConnection> connection = docker.StartExecAttached(*exec_id, spec.tty);
  if (!connection.ok()) return connection.error().Within("start exec");
  if (spec.tty) SendSize(docker, *exec_id, io, 5);
  ExecRelay relay(*connection, io, spec.tty, spec.attach_stdin,
                  [&] { SendSize(docker, *exec_id, io, 1); });
  Result<bool> ended = relay.Run();
  if (!ended.ok()) return ended.error();
  if (!*ended) return ExecOutcome{};
  Result<std::int64_t> code = ExitCode(docker, *exec_id);
  if (!code.ok()) return code.error();
  return ExecOutcome{*code};
}

}  // namespace baton::runtime
