#pragma once
// The logs of many containers on many hosts as one output, as `docker
// compose logs` shows them: each line prefixed with its replica and host
// ("web-2@lab1 | "), the prefix coloured by service. All containers are read
// in parallel, each through its own host's DockerClient.
//
// Without follow the merged output is in time order: the engine is always
// asked for timestamps, the lines of all containers are merged by them (a
// bounded k-way merge, so a long history is never held in memory whole), and
// the timestamps are shown only when LogView::show_timestamps asks. With
// follow, lines are shown as they arrive, until `stop`.

#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/docker_stream.h"
#include "runtime/log_lines.h"

namespace baton::runtime {

class HostPool;

// Where the merged output goes. Calls come from several threads, one at a
// time (the merger serialises them), each with whole lines.
class LogSink {
 public:
  virtual ~LogSink() = default;
  // A formatted line, ending in '\n': the container's stdout lines as kStdout,
  // its stderr lines as kStderr.
  virtual void Line(StreamKind kind, std::string_view line) = 0;
  // A container or host whose log cannot be read, as it happens.
  virtual void Problem(const Error& error) = 0;
};

// Writes lines to `out` or `err` (flushed per line, so a pipe sees them at
// once) and problems to `err` as "baton: <error>". Thread-safe.
class StdioLogSink final : public LogSink {
 public:
  StdioLogSink(std::FILE* out, std::FILE* err) : out_(out), err_(err) {}
  void Line(StreamKind kind, std::string_view line) override;
  void Problem(const Error& error) override;

 private:
  std::mutex mu_;
  std::FILE* out_;
  std::FILE* err_;
};

struct LogReadOptions {
  bool follow = false;
  std::string tail = "all";  // lines per container, or "all"
  std::string since;         // unix time as LogTimeToUnix makes it; "" from the start
  // With follow: also show containers of the selection that start later
  // (and a container again after it restarts), by watching each host's
  // events. Then only `stop` ends it.
  bool watch_starts = true;
};

// The containers whose logs to show.
struct LogSelection {
  std::string project;
  std::vector<std::string> services;  // empty: every service
};

// The project's containers on every reachable host (running or not, one-off
// containers left out), of the selected services, sorted by service, slot
// and host. Each unreachable host, and each host whose listing fails, is
// reported to `sink` as a problem. Returns the number of problems in
// `problems` when it is not null.
std::vector<LogSource> FindLogSources(HostPool& pool, const LogSelection& selection,
                                      LogSink& sink, int* problems = nullptr);

// Shows the logs of `sources` (see the top of this file). Returns how many
// problems were reported to `sink`: sources whose host is unknown or
// unreachable, reads that failed; the others are still shown. Called on any
// thread; it starts and joins its own.
int ShowLogs(HostPool& pool, const std::vector<LogSource>& sources, const LogSelection& selection,
             const LogReadOptions& options, const LogView& view, LogSink& sink,
             std::stop_token stop = {});

// What `up` calls to follow the project's logs after deploying (compose's
// `up` without -d): FindLogSources, then ShowLogs following with
// watch_starts, from the last `tail` lines of each container, until `stop`.
// Returns the number of problems reported to `sink`.
int FollowProjectLogs(HostPool& pool, const LogSelection& selection, const LogView& view,
                      LogSink& sink, std::stop_token stop, const std::string& tail = "all");

}  // namespace baton::runtime
