// Finding the containers to show, and the time-ordered merge of their logs
// when not following (following is in log_follow.cc).

#include "runtime/log_merge.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <optional>
#include <thread>
#include <tuple>

#include "planner/labels.h"
#include "runtime/host_pool.h"
#include "runtime/log_read.h"

namespace baton::runtime {
namespace {

// A formatted line waiting for its turn.
struct QueuedLine {
  std::string order_key;
  StreamKind kind = StreamKind::kStdout;
  std::string text;
};

// The k-way merge: each reader thread pushes its source's lines, which are
// in time order already; Pop returns the earliest head once every source
// that is still open has one. Bounded per source, so readers wait for a slow
// output instead of filling memory.
class TimeOrderedQueue {
 public:
  static constexpr std::size_t kLinesPerSource = 4096;

  explicit TimeOrderedQueue(std::size_t sources) : queues_(sources), closed_(sources, false) {}

  // Blocks while the source's queue is full; false once cancelled.
  bool Push(std::size_t source, QueuedLine line) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return cancelled_ || queues_[source].size() < kLinesPerSource; });
    if (cancelled_) return false;
    queues_[source].push_back(std::move(line));
    changed_.notify_all();
    return true;
  }

  void Close(std::size_t source) {
    std::lock_guard lock(mu_);
    closed_[source] = true;
    changed_.notify_all();
  }

  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    changed_.notify_all();
  }

  // The next line in time order (ties: the earlier source); nullopt when
  // every source is closed and drained, or on cancel.
  std::optional<QueuedLine> Pop() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return cancelled_ || EverySourceReady(); });
    if (cancelled_) return std::nullopt;
    std::optional<std::size_t> earliest;
    for (std::size_t i = 0; i < queues_.size(); ++i)
      if (!queues_[i].empty() &&
          (!earliest || queues_[i].front().order_key < queues_[*earliest].front().order_key))
        earliest = i;
    if (!earliest) return std::nullopt;
    QueuedLine line = std::move(queues_[*earliest].front());
    queues_[*earliest].pop_front();
    changed_.notify_all();
    return line;
  }

 private:
  bool EverySourceReady() const {
    for (std::size_t i = 0; i < queues_.size(); ++i)
      if (queues_[i].empty() && !closed_[i]) return false;
    return true;
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::deque<QueuedLine>> queues_;  // guarded by mu_
  std::vector<bool> closed_;                    // guarded by mu_
  bool cancelled_ = false;                      // guarded by mu_
};

bool Selected(const LogSelection& selection, const std::string& service) {
  return selection.services.empty() ||
         std::find(selection.services.begin(), selection.services.end(), service) !=
             selection.services.end();
}

// The selected containers on one reachable host.
Result<std::vector<LogSource>> SourcesOn(HostHandle& host, const LogSelection& selection) {
  Filters filters{{"label", {std::string(planner::labels::kProject) + "=" + selection.project}}};
  auto containers = host.docker->ListContainers(true, filters);
  if (!containers.ok()) return containers.error().Within("list containers");
  std::vector<LogSource> sources;
  for (const ContainerSummary& c : *containers) {
    auto service = c.labels.find(planner::labels::kService);
    auto oneoff = c.labels.find(planner::labels::kOneoff);
    if (service == c.labels.end() || !Selected(selection, service->second)) continue;
    if (oneoff != c.labels.end() && oneoff->second == "True") continue;
    sources.push_back(
        {host.config.name, c.id, service->second, planner::labels::SlotFromLabels(c.labels)});
  }
  return sources;
}

}  // namespace

void StdioLogSink::Line(StreamKind kind, std::string_view line) {
  std::lock_guard lock(mu_);
  std::FILE* file = kind == StreamKind::kStderr ? err_ : out_;
  std::fwrite(line.data(), 1, line.size(), file);
  std::fflush(file);
}

void StdioLogSink::Problem(const Error& error) {
  std::lock_guard lock(mu_);
  std::fflush(out_);
  std::fprintf(err_, "baton: %s\n", error.ToString().c_str());
  std::fflush(err_);
}

std::vector<LogSource> FindLogSources(HostPool& pool, const LogSelection& selection, LogSink& sink,
                                      int* problems) {
  std::vector<Result<std::vector<LogSource>>> found(pool.hosts().size(), std::vector<LogSource>{});
  std::vector<std::jthread> readers;
  for (std::size_t i = 0; i < pool.hosts().size(); ++i) {
    HostHandle& host = pool.hosts()[i];
    if (host.reachable())
      readers.emplace_back([&, i] { found[i] = SourcesOn(pool.hosts()[i], selection); });
    else
      found[i] = UnreachableHostError(host);
  }
  readers.clear();  // joins
  std::vector<LogSource> sources;
  int failed = 0;
  for (auto& result : found) {
    if (!result.ok()) {
      sink.Problem(result.error());
      ++failed;
      continue;
    }
    sources.insert(sources.end(), result->begin(), result->end());
  }
  std::sort(sources.begin(), sources.end(), [](const LogSource& a, const LogSource& b) {
    return std::tie(a.service, a.slot, a.host, a.container_id) <
           std::tie(b.service, b.slot, b.host, b.container_id);
  });
  if (problems != nullptr) *problems = failed;
  return sources;
}

namespace {

// Reads every source into the queue on its own thread and writes the merged
// lines on this one.
int ShowInTimeOrder(HostPool& pool, const std::vector<LogSource>& sources,
                    const LogReadOptions& options, const LogFormatter& formatter, LogSink& sink,
                    std::stop_token stop) {
  TimeOrderedQueue queue(sources.size());
  std::stop_callback cancel(stop, [&] { queue.Cancel(); });
  std::vector<std::optional<Error>> failures(sources.size());
  std::vector<std::jthread> readers;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    readers.emplace_back([&, i] {
      failures[i] = ReadSourceLines(
          pool, sources[i], options, stop, [&](StreamKind kind, const TimedLine& line) {
            return queue.Push(i, {line.order_key, kind, formatter.Format(sources[i], line)});
          });
      queue.Close(i);
    });
  }
  while (std::optional<QueuedLine> line = queue.Pop()) sink.Line(line->kind, line->text);
  readers.clear();  // joins
  int problems = 0;
  for (const std::optional<Error>& failure : failures)
    if (failure) {
      sink.Problem(*failure);
      ++problems;
    }
  return problems;
}

}  // namespace

int ShowLogs(HostPool& pool, const std::vector<LogSource>& sources, const LogSelection& selection,
             const LogReadOptions& options, const LogView& view, LogSink& sink,
             std::stop_token stop) {
  if (options.follow) return FollowLogs(pool, sources, selection, options, view, sink, stop);
  LogFormatter formatter(view);
  for (const LogSource& source : sources) formatter.Add(source);
  return ShowInTimeOrder(pool, sources, options, formatter, sink, stop);
}

int FollowProjectLogs(HostPool& pool, const LogSelection& selection, const LogView& view,
                      LogSink& sink, std::stop_token stop, const std::string& tail) {
  int problems = 0;
  std::vector<LogSource> sources = FindLogSources(pool, selection, sink, &problems);
  LogReadOptions options;
  options.follow = true;
  options.tail = tail;
  return problems + ShowLogs(pool, sources, selection, options, view, sink, stop);
}

}  // namespace baton::runtime
