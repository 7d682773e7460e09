// baton events: prints the watcher's events of a project. The watcher
// publishes its last events as JSON lines in /events.jsonl of its lease
// records (runtime/project_lease.h), so this reads them from any reachable
// host, whichever machine the watcher runs on, and polls once a second for
// new lines.

#include "cli/events_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/go_duration.h"
#include "base/rfc3339.h"
#include "cli/deploy_context.h"
#include "cli/exit_status.h"
#include "cli/interrupt.h"
#include "runtime/project_lease.h"

namespace baton::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kPollEvery{1};
constexpr std::chrono::seconds kReconnectEvery{10};
constexpr char kEventsFile[] = "/events.jsonl";

struct EventsFlags {
  std::string since;  // a Go duration; empty: every event the record holds
  bool json = false;
  bool no_follow = false;
};

std::string EventTime(const nlohmann::json& event) {
  auto it = event.find("time");
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string LogfmtValue(const nlohmann::json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  bool quote = text.empty() || text.find_first_of(" =\"\t\n") != std::string::npos;
  return quote ? nlohmann::json(text).dump() : text;
}

// "2026-11-29T05:00:00Z restart project=shop service=web slot=2 host=lab1
// message=\"exit 3\"": time and kind first, then the usual keys in a fixed
// order, any others by name, the message last.
std::string Logfmt(const nlohmann::json& event) {
  std::string line = EventTime(event);
  if (auto kind = event.find("kind"); kind != event.end())
    line += (line.empty() ? "" : " ") + LogfmtValue(*kind);
  auto add = [&](const std::string& key, const nlohmann::json& value) {
    line += (line.empty() ? "" : " ") + key + "=" + LogfmtValue(value);
  };
  static const std::vector<std::string> kFirst = {"project", "service", "slot", "host"};
  for (const std::string& key : kFirst)
    if (auto it = event.find(key); it != event.end()) add(key, *it);
  for (const auto& [key, value] : event.items()) {
    bool placed = key == "time" || key == "kind" || key == "message" ||
                  std::find(kFirst.begin(), kFirst.end(), key) != kFirst.end();
    if (!placed) add(key, value);
  }
  if (auto it = event.find("message"); it != event.end()) add("message", *it);
  return line;
}

// Prints the lines at or after `since` (RFC 3339 UTC; empty: all). Lines
// that are not JSON objects are printed as they are.
void PrintLines(const std::vector<std::string>& lines, const std::string& since, bool json) {
  for (const std::string& line : lines) {
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object()) {
      std::printf("%s\n", line.c_str());
      continue;
    }
    // Compared to the second: both are UTC, so the text orders like the time.
    if (!since.empty() && EventTime(event).substr(0, 19) < since.substr(0, 19)) continue;
    std::printf("%s\n", json ? line.c_str() : Logfmt(event).c_str());
  }
  std::fflush(stdout);
}

std::vector<runtime::LeaseHost> LeaseHosts(const runtime::HostPool& pool) {
  std::vector<runtime::LeaseHost> hosts;
  for (const runtime::HostHandle& host : pool.hosts())
    hosts.push_back({host.config.name, host.docker});
  return hosts;
}

// One read: prints the new lines, or sets `problem` (no events yet is none).
void PollOnce(const std::vector<runtime::LeaseHost>& hosts, const std::string& project,
              const EventsFlags& flags, const std::string& since, EventCursor& cursor,
              std::optional<Error>& problem) {
  Result<std::string> jsonl = runtime::ProjectLease::ReadFile(hosts, project, kEventsFile);
  if (jsonl.ok())
    PrintLines(TakeNewLines(*jsonl, cursor), since, flags.json);
  else if (jsonl.error().kind != Error::Kind::kNotFound)
    problem = jsonl.error();
}

// Prints until Ctrl-C. A broken link is final (transport), so while no host
// answers, the hosts are connected again, at most every kReconnectEvery.
int Follow(DeployContext& context, const HostOptions& host_options, const EventsFlags& flags,
           const std::string& since) {
  auto ssh = MakeSshOptions(host_options, context.inventory.settings);
  if (!ssh.ok()) return Fail(ssh.error());
  std::vector<runtime::LeaseHost> hosts = LeaseHosts(context.pool);
  EventCursor cursor;
  std::optional<Error> reported;
  Clock::time_point connected = Clock::now();
  std::mutex mu;
  std::condition_variable_any tick;
  std::stop_token stop = InterruptToken();
  while (!stop.stop_requested()) {
    std::optional<Error> problem;
    PollOnce(hosts, context.desired.project, flags, since, cursor, problem);
    if (problem && (!reported || reported->ToString() != problem->ToString()))
      std::fprintf(stderr, "baton: warning: %s; still trying\n", problem->ToString().c_str());
    reported = problem;
    if (problem && problem->kind == Error::Kind::kUnreachable &&
        Clock::now() - connected >= kReconnectEvery) {
      context.pool = runtime::HostPool::Open(context.inventory.hosts, *ssh);
      hosts = LeaseHosts(context.pool);
      connected = Clock::now();
    }
    std::unique_lock lock(mu);
    tick.wait_for(lock, stop, kPollEvery, [] { return false; });
  }
  return 0;
}

int RunEvents(const ProjectOptions& project, const HostOptions& host_options,
              const EventsFlags& flags) {
  std::string since;
  if (!flags.since.empty()) {
    std::optional<Duration> ago = ParseGoDuration(flags.since);
    if (!ago || ago->count() < 0)
      return Fail(Error::Invalid(
          "", "--since takes a duration such as 10m or 1h30m, not \"" + flags.since + "\""));
    since = FormatRfc3339(std::chrono::system_clock::now() -
                    std::chrono::duration_cast<std::chrono::system_clock::duration>(*ago));
  }
  auto context = OpenDeployContextOrName(project, host_options);
  if (!context.ok()) return Fail(context.error());
  if (!flags.no_follow) return Follow(*context, host_options, flags, since);
  std::optional<Error> problem;
  EventCursor cursor;
  PollOnce(LeaseHosts(context->pool), context->desired.project, flags, since, cursor, problem);
  return problem ? Fail(*problem) : 0;
}

}  // namespace

std::vector<std::string> TakeNewLines(const std::string& jsonl, EventCursor& cursor) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < jsonl.size();) {
    size_t end = jsonl.find('\n', at);
    if (end == std::string::npos) end = jsonl.size();
    if (end > at) lines.push_back(jsonl.substr(at, end - at));
    at = end + 1;
  }
  std::vector<std::string> fresh;
  auto printed = std::find(lines.rbegin(), lines.rend(), cursor.last_line);
  if (!cursor.last_line.empty() && printed != lines.rend()) {
    fresh.assign(printed.base(), lines.end());
  } else {
    // Rolled over: what is later than the last printed time, and what has
    // that very time but was not printed (events come to the second).
    for (const std::string& line : lines) {
      std::string time = EventTime(nlohmann::json::parse(line, nullptr, false));
      if (cursor.last_line.empty() || time > cursor.last_time ||
          (time == cursor.last_time && !cursor.at_last_time.count(line)))
        fresh.push_back(line);
    }
  }
  if (fresh.empty()) return fresh;
  std::string last_time = EventTime(nlohmann::json::parse(fresh.back(), nullptr, false));
  if (last_time != cursor.last_time) cursor.at_last_time.clear();
  cursor.last_line = fresh.back();
  cursor.last_time = last_time;
  for (const std::string& line : fresh)
    if (EventTime(nlohmann::json::parse(line, nullptr, false)) == last_time)
      cursor.at_last_time.insert(line);
  return fresh;
}

void AddEventsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                      std::shared_ptr<const HostOptions> hosts, Runner& run) {
  auto flags = std::make_shared<EventsFlags>();
  CLI::App* command = app.add_subcommand(
      "events", "Print what the project's watcher did (restarts, failovers, scaling), following");
  command->fallthrough();
  command->add_option("--since", flags->since, "Only events of this recent past (10m, 1h30m)");
  command->add_flag("--json", flags->json, "Print each event as the watcher's JSON line");
  command->add_flag("--no-follow", flags->no_follow, "Print the events there are and exit");
  command->callback(
      [project, hosts, flags, &run] { run = [=] { return RunEvents(*project, *hosts, *flags); }; });
}

}  // namespace baton::cli
