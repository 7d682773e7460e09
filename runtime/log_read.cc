// One container's log as timed lines.

#include "runtime/log_read.h"

#include "runtime/host_pool.h"

namespace baton::runtime {

Error UnreachableHostError(const HostHandle& host) {
  std::string why = host.error ? host.error->message : "not connected";
  return Error::Unreachable("", "host " + host.config.name + " unreachable: " + why);
}

std::optional<Error> ReadSourceLines(HostPool& pool, const LogSource& source,
                                     const LogReadOptions& options, std::stop_token stop,
                                     const TimedLineSink& on_line) {
  HostHandle* host = pool.Find(source.host);
  if (host == nullptr)
    return Error::NotFound("", "unknown host \"" + source.host + "\" for " + source.Label());
  if (!host->reachable()) return UnreachableHostError(*host);
  LogOptions read;
  read.follow = options.follow;
  read.timestamps = true;  // always: the merge orders by them
  read.since = options.since;
  read.tail = options.tail;
  LogLineSplitter splitters[3];  // by StreamKind
  bool stopped = false;
  auto pass_on = [&](StreamKind kind) {
    return [&, kind](std::string_view line) {
      if (stopped) return;
      if (line.ends_with('\r')) line.remove_suffix(1);  // a TTY's line end
      stopped = !on_line(kind, SplitTimestamp(line));
    };
  };
  Status read_status = host->docker->ReadLogs(
      source.container_id, read,
      [&](StreamKind kind, std::string_view data) {
        splitters[static_cast<int>(kind)].Feed(data, pass_on(kind));
        return !stopped;
      },
      stop);
  for (StreamKind kind : {StreamKind::kStdout, StreamKind::kStderr})
    splitters[static_cast<int>(kind)].Finish(pass_on(kind));
  // A container removed since it was listed (or since the start event that
  // named it) has nothing more to show: that is not a failure to read.
  if (!read_status.ok() && read_status.error().kind == Error::Kind::kNotFound) return std::nullopt;
  if (!read_status.ok())
    return read_status.error().Within("logs of " + source.service + "-" +
                                      std::to_string(source.slot));
  return std::nullopt;
}

}  // namespace baton::runtime
