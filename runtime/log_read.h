#pragma once
// What log_merge.cc and log_follow.cc share: reading one container's log as
// timed lines. Internal to the log merger.

#include <functional>
#include <optional>
#include <stop_token>
#include <vector>

#include "base/result.h"
#include "runtime/docker_stream.h"
#include "runtime/log_lines.h"
#include "runtime/log_merge.h"

namespace baton::runtime {

struct HostHandle;

// Receives one line; returns false to stop reading.
using TimedLineSink = std::function<bool(StreamKind kind, const TimedLine& line)>;

// Reads `source`'s log (always with timestamps; following as options say)
// and passes it on line by line, a '\r' before each '\n' dropped. Returns
// the error, named after the replica ("host lab1: logs of web-2: ..."), or
// nullopt when the log ended, `stop` was requested, the sink said stop or
// the container no longer exists.
std::optional<Error> ReadSourceLines(HostPool& pool, const LogSource& source,
                                     const LogReadOptions& options, std::stop_token stop,
                                     const TimedLineSink& on_line);

// "host lab3 unreachable: <why>" for a host that could not be reached.
Error UnreachableHostError(const HostHandle& host);

// ShowLogs with options.follow (log_follow.cc).
int FollowLogs(HostPool& pool, const std::vector<LogSource>& sources,
               const LogSelection& selection, const LogReadOptions& options, const LogView& view,
               LogSink& sink, std::stop_token stop);

}  // namespace baton::runtime
