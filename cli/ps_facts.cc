#include "cli/ps_facts.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/rfc3339.h"
#include "planner/restart_backoff.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

constexpr int64_t kShortRunSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(planner::kShortRun).count();

std::optional<ReplicaId> ParseReplicaId(const std::string& text) {
  size_t slash = text.rfind('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  int slot = 0;
  auto r = std::from_chars(text.data() + slash + 1, text.data() + text.size(), slot);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || slot < 1) return std::nullopt;
  return ReplicaId{text.substr(0, slash), slot};
}

// Moby's restart manager waits 100 ms before the first restart, doubling
// the wait after each run shorter than 10 s, up to a minute. The engine
// counts a restart when the container exits, before the wait: while it
// restarts with RestartCount n, it waits 100 ms * 2^(n-1).
int64_t EngineBackoffSeconds(int64_t restarts) {
  if (restarts >= 11) return 60;
  return std::min<int64_t>(60, (int64_t{100} << std::max<int64_t>(0, restarts - 1)) / 1000);
}

std::optional<CrashLoop> WatcherLoop(const ActualContainer& c, const WatcherRestarts& w,
                                     std::time_t now) {
  CrashLoop loop{c.exit_code, w.failures, true, std::nullopt};
  // While the engine still restarts it, the watcher has not taken over yet.
  if (c.state != "restarting" && w.exit_seen >= 0) {
    auto delay = planner::BackoffDelay(w.failures).count();
    loop.next_in = std::max<int64_t>(0, w.exit_seen + delay - now);
  }
  return loop;
}

std::string Seconds(int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + "s";
  return std::to_string(seconds / 60) + "m";
}

std::string Percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g%%", value);
  return text;
}

}  // namespace

Result<std::map<ReplicaId, WatcherRestarts>> ParseWatcherStatus(std::string_view json) {
  nlohmann::json root = nlohmann::json::parse(json, nullptr, false);
  if (root.is_discarded() || !root.is_object())
    return Error::Invalid("watcher status", "not a JSON object");
  const nlohmann::json& restarts =
      root.contains("restarts") && root["restarts"].is_object() ? root["restarts"] : root;
  std::map<ReplicaId, WatcherRestarts> out;
  for (const auto& [key, entry] : restarts.items()) {
    std::optional<ReplicaId> id = ParseReplicaId(key);
    if (!id || !entry.is_object()) continue;
    WatcherRestarts w;
    auto failures = entry.find("failures");
    if (failures != entry.end() && failures->is_number_integer()) w.failures = failures->get<int>();
    auto seen = entry.find("exit_seen");
    if (seen != entry.end() && seen->is_string())
      w.exit_seen = ParseTimestamp(seen->get<std::string>());
    out[*id] = w;
  }
  return out;
}

std::optional<CrashLoop> JudgeCrashLoop(const ActualContainer& c, const WatcherRestarts* watcher,
                                        std::time_t now) {
  if (c.state == "running" || c.state == "created") return std::nullopt;
  if (watcher != nullptr && watcher->failures >= 2) return WatcherLoop(c, *watcher, now);
  std::time_t finished = ParseTimestamp(c.finished_at);
  if (c.restart_count < kEngineLoopRestarts || finished < 0 || now - finished >= kShortRunSeconds)
    return std::nullopt;
  CrashLoop loop{c.exit_code, static_cast<int>(c.restart_count), false, std::nullopt};
  if (c.state == "restarting")
    loop.next_in = std::max<int64_t>(0, finished + EngineBackoffSeconds(c.restart_count) - now);
  return loop;
}

std::string StateText(const ActualContainer& c, const std::optional<CrashLoop>& loop) {
  if (loop) {
    std::string text = "crash-looping (exit " + std::to_string(loop->exit_code) + ", " +
                       std::to_string(loop->restarts) + " restarts";
    if (loop->next_in) text += ", next in " + Seconds(*loop->next_in);
    return text + ")";
  }
  if (c.state == "exited") return "exited (" + std::to_string(c.exit_code) + ")";
  return c.state;
}

Readiness ReadinessOf(const ActualContainer& c, const std::string& host, const PsExtras& extras) {
  auto netd = extras.readiness.find(host);
  const netd::ReplicaStatus* entry = nullptr;
  if (netd != extras.readiness.end() && netd->second.known) {
    auto found = netd->second.by_container.find(c.name);
    if (found != netd->second.by_container.end()) entry = &found->second;
  }
  Readiness readiness;
  if (entry != nullptr) {
    readiness.in_dns = entry->in_dns;
    readiness.reason = entry->reason;
  }
  bool probed = extras.readiness_services.count(c.service) > 0 || (entry && entry->readiness);
  if (!probed) {
    readiness.column = "-";
  } else if (!c.running()) {
    readiness = {"no", false, "not running"};
  } else if (entry == nullptr) {
    readiness.column = "?";
  } else {
    readiness.column = entry->ready ? "yes" : "no";
  }
  return readiness;
}

std::string AutoscaleText(const AutoscaleNote& note) {
  std::string text = note.service + ": autoscaled " + std::to_string(note.policy.min) + ".." +
                     std::to_string(note.policy.max) + " at cpu " +
                     Percent(note.policy.cpu_percent) + ": " + std::to_string(note.replicas) +
                     (note.replicas == 1 ? " replica" : " replicas");
  return note.reason.empty() ? text : text + " (" + note.reason + ")";
}

std::string DrainText(const std::string& host, const DrainNote& note) {
  std::string text = host + "  drained";
  if (!note.since.empty()) text += " since " + note.since;
  if (!note.by.empty()) text += " by " + note.by;
  return text;
}

std::time_t ParseTimestamp(const std::string& text) {
  std::optional<SystemTime> time = ParseRfc3339(text);
  if (!time) return -1;
  std::time_t seconds = std::chrono::system_clock::to_time_t(*time);
  return seconds < 0 ? -1 : seconds;
}

std::vector<std::string> LastLogLines(const std::string& out, const std::string& err,
                                      size_t lines) {
  // RFC 3339 with nanoseconds, as the engine writes them, sorts as text.
  std::vector<std::pair<std::string, std::string>> stamped;
  for (const std::string* stream : {&out, &err}) {
    std::istringstream in(*stream);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t space = line.find(' ');
      if (space == std::string::npos)
        stamped.push_back({line, ""});
      else
        stamped.push_back({line.substr(0, space), line.substr(space + 1)});
    }
  }
  std::stable_sort(stamped.begin(), stamped.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> text;
  size_t first = stamped.size() > lines ? stamped.size() - lines : 0;
  for (size_t i = first; i < stamped.size(); ++i) text.push_back(std::move(stamped[i].second));
  return text;
}

}  // namespace baton::cli
