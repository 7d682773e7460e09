// What the watcher achieves on the real 3-host lab (issue 6, figures), with
// `baton watch` at its defaults (heartbeat 5 s, grace 10 s):
//   1. crash -> running: `docker kill` of a replica (the engine honours a
//      kill, so the watcher starts it: the first short run, no backoff) and
//      `docker rm -f` (the watcher creates it again), from the call's return
//      to the new run's StartedAt;
//   2. host loss -> all its replicas running elsewhere: from cutting lab3's
//      link (ip link set batonlab-lab3 down) to the last StartedAt among the
//      replacements (the project is spread again before each run);
//   3. the watcher's RSS (VmRSS, VmHWM) and CPU while idle, with the project
//      at 100 containers over the 3 hosts.
// The lab hosts share this machine's clock, so engine times and ours compare.
// Medians over --runs runs (default 5). The project is taken down at the end.
//
// Usage: watch_bench --lab-dir DIR [--baton PATH] [--runs N]

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/rfc3339.h"
#include "bench/bench_util.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"

namespace {

namespace runtime = baton::runtime;
namespace labels = baton::planner::labels;
using baton::bench::Median;
using baton::bench::Run;
using baton::bench::Spawn;
using baton::bench::WaitFor;
using WallClock = std::chrono::system_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kProject[] = "wbench";
// web: killed, one slot per run (a second kill of a slot within 10 min is a
// crash loop, which the watcher backs off on purpose); spare: removed.
constexpr char kCompose[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    restart: always
    stop_grace_period: 1s
    deploy:
      replicas: 5
  spare:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    restart: always
    stop_grace_period: 1s
    deploy:
      replicas: 5
)";

struct Options {
  std::filesystem::path lab_dir;
  std::string baton;
  std::filesystem::path work;  // compose file and the watcher's log
  int runs = 5;
};

struct Replica {
  std::string host, id, name, service, state;
  int slot = 0;
};

std::vector<std::string> Hosts() { return {"lab1", "lab2", "lab3"}; }

std::optional<runtime::DockerClient> Engine(const Options& options, const std::string& host) {
  runtime::DockerOptions docker;
  docker.host = host;
  docker.socket_path = (options.lab_dir / "hosts" / host / "run" / "docker.sock").string();
  auto client = runtime::DockerClient::Connect(docker);
  if (!client.ok()) return std::nullopt;
  return std::move(*client);
}

std::vector<Replica> Replicas(const Options& options) {
  std::vector<Replica> out;
  runtime::Filters filters{{"label", {std::string(labels::kProject) + "=" + kProject}}};
  for (const std::string& host : Hosts()) {
    auto engine = Engine(options, host);
    if (!engine) continue;
    auto list = engine->ListContainers(true, filters);
    if (!list.ok()) continue;
    for (const runtime::ContainerSummary& c : *list) {
      Replica r{host, c.id, c.name, "", c.state, 0};
      if (auto s = c.labels.find(labels::kService); s != c.labels.end()) r.service = s->second;
      if (auto s = c.labels.find(labels::kSlot); s != c.labels.end())
        r.slot = std::atoi(s->second.c_str());
      out.push_back(r);
    }
  }
  return out;
}

std::optional<WallClock::time_point> StartedAt(const Options& options, const Replica& r) {
  auto engine = Engine(options, r.host);
  if (!engine) return std::nullopt;
  auto info = engine->InspectContainer(r.id);
  if (!info.ok() || !info->state.running) return std::nullopt;
  return baton::ParseRfc3339(info->state.started_at);
}

int Baton(const Options& options, std::vector<std::string> args) {
  args.insert(args.begin(),
              {options.baton, "-f", (options.work / "compose.yaml").string(), "-p", kProject});
  return Run(args);
}

bool SetLink(const std::string& host, bool up) {
  return Run({"/usr/sbin/ip", "link", "set", "batonlab-" + host, up ? "up" : "down"}) == 0;
}

double Seconds(WallClock::duration d) { return std::chrono::duration<double>(d).count(); }

std::optional<Replica> Find(const Options& options, const std::string& name) {
  for (const Replica& r : Replicas(options))
    if (r.name == name) return r;
  return std::nullopt;
}

// Seconds from the fault to the slot's next run, for a kill (same container,
// new StartedAt) or a removal (a new container of the same name).
std::optional<double> TimeCrash(const Options& options, const std::string& name, bool remove) {
  std::optional<Replica> before = Find(options, name);
  if (!before || before->state != "running") return std::nullopt;
  auto engine = Engine(options, before->host);
  std::optional<WallClock::time_point> first = StartedAt(options, *before);
  if (!engine || !first) return std::nullopt;
  baton::Status done = remove ? engine->RemoveContainer(before->id, {true, false})
                              : engine->KillContainer(before->id, "SIGKILL");
  WallClock::time_point t0 = WallClock::now();
  if (!done.ok()) return std::nullopt;
  std::optional<WallClock::time_point> again;
  bool ran = WaitFor(
      [&] {
        std::optional<Replica> now = Find(options, name);
        if (!now) return false;
        again = StartedAt(options, *now);
        return again && *again > *first;
      },
      seconds(30));
  if (!ran) return std::nullopt;
  return Seconds(*again - t0);
}

// Every (service, slot) runs once, none on `cut`; the newest StartedAt of
// the replicas that started after t0 then.
std::optional<WallClock::time_point> MovedOff(const Options& options, const std::string& cut,
                                              WallClock::time_point t0) {
  std::map<std::pair<std::string, int>, int> runs;
  std::optional<WallClock::time_point> last;
  for (const Replica& r : Replicas(options)) {
    if (r.host == cut || r.state != "running") continue;
    ++runs[{r.service, r.slot}];
    if (auto at = StartedAt(options, r); at && *at > t0) last = last ? std::max(*last, *at) : *at;
  }
  if (runs.size() != 10) return std::nullopt;
  for (const auto& [slot, n] : runs)
    if (n != 1) return std::nullopt;
  return last ? last : std::optional(t0);
}

// After a heal: each slot once in the whole lab again (the stale copies gone).
bool Settled(const Options& options) {
  std::map<std::pair<std::string, int>, int> runs;
  for (const Replica& r : Replicas(options))
    if (r.state == "running" || r.state == "created" || r.state == "exited")
      ++runs[{r.service, r.slot}];
  if (runs.size() != 10) return false;
  for (const auto& [slot, n] : runs)
    if (n != 1) return false;
  return true;
}

std::optional<double> TimeHostLoss(const Options& options, const std::string& host) {
  WallClock::time_point t0 = WallClock::now();
  if (!SetLink(host, false)) return std::nullopt;
  std::optional<WallClock::time_point> last;
  bool moved = WaitFor([&] { return (last = MovedOff(options, host, t0)).has_value(); },
                       seconds(60), milliseconds(100));
  SetLink(host, true);
  if (!moved) return std::nullopt;
  if (!WaitFor([&] { return Settled(options); }, seconds(60), milliseconds(200)))
    std::fprintf(stderr, "watch_bench: %s's stale replicas were not removed in 60 s\n",
                 host.c_str());
  return Seconds(*last - t0);
}

// Spreads the project over the three hosts again (a host that returns
// gets nothing back by itself): scaled to nothing and back, the new
// replicas land on the emptiest hosts first.
bool Respread(const Options& options) {
  if (Baton(options, {"scale", "web=0", "spare=0"}) != 0) return false;
  if (Baton(options, {"scale", "web=5", "spare=5"}) != 0) return false;
  std::this_thread::sleep_for(seconds(3));  // the watcher has seen the new record
  for (const Replica& r : Replicas(options))
    if (r.host == "lab3" && r.state == "running") return true;
  return false;
}

struct ProcUsage {
  double rss_mb = 0, hwm_mb = 0, cpu_seconds = 0;
};

ProcUsage Usage(pid_t pid) {
  ProcUsage usage;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) usage.rss_mb = std::atof(line.c_str() + 6) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) usage.hwm_mb = std::atof(line.c_str() + 6) / 1024;
  }
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::atol(field.c_str());
  usage.cpu_seconds = static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return usage;
}

void Report(const char* what, const std::vector<double>& values, double goal) {
  std::ostringstream all;
  for (double v : values) all << (all.tellp() > 0 ? ", " : "") << v;
  std::printf("%s: median %.2f s over %zu runs (goal <= %.0f s) [%s]\n", what, Median(values),
              values.size(), goal, all.str().c_str());
}

bool ParseArgs(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--lab-dir")
      options.lab_dir = argv[i + 1];
    else if (flag == "--baton")
      options.baton = argv[i + 1];
    else if (flag == "--runs")
      options.runs = std::atoi(argv[i + 1]);
    else
      return false;
  }
  return argc % 2 == 1 && options.runs > 0 && options.runs <= 5 && !options.lab_dir.empty();
}

int Bench(const Options& options) {
  pid_t watcher = Spawn({options.baton, "-p", kProject, "watch", "--metrics", "off"},
                        (options.work / "watch.log").string());
  if (watcher < 0) return 1;
  std::this_thread::sleep_for(seconds(5));  // lease taken, first tick done
  std::vector<double> kills, removals, losses;
  for (int run = 1; run <= options.runs; ++run) {
    std::string n = std::to_string(run);
    if (auto t = TimeCrash(options, std::string(kProject) + "-web-" + n, false))
      kills.push_back(*t);
    if (auto t = TimeCrash(options, std::string(kProject) + "-spare-" + n, true))
      removals.push_back(*t);
  }
  Report("crash -> running, docker kill (the watcher starts it again)", kills, 1);
  Report("crash -> running, docker rm -f (the watcher creates it again)", removals, 1);
  // lab3 is cut each time (the lab's others stay a majority); it holds a
  // third of the replicas before each cut.
  for (int run = 1; run <= options.runs; ++run) {
    if (!Respread(options)) {
      std::fprintf(stderr, "watch_bench: no replica on lab3 to lose\n");
      continue;
    }
    if (auto t = TimeHostLoss(options, "lab3")) losses.push_back(*t);
  }
  Report("host loss -> all its replicas running elsewhere", losses, 10);

  if (Baton(options, {"scale", "spare=95"}) != 0)
    std::fprintf(stderr, "watch_bench: scale failed\n");
  std::this_thread::sleep_for(seconds(30));  // converged, the resync has run at least once
  ProcUsage before = Usage(watcher);
  std::this_thread::sleep_for(seconds(60));
  ProcUsage after = Usage(watcher);
  size_t containers = Replicas(options).size();
  std::printf(
      "watcher with %zu containers on 3 hosts: VmRSS %.1f MB, VmHWM %.1f MB (goal < 30 MB)\n",
      containers, after.rss_mb, after.hwm_mb);
  std::printf("idle watcher CPU: %.2f %% of one core over 60 s\n",
              100.0 * (after.cpu_seconds - before.cpu_seconds) / 60.0);
  kill(watcher, SIGTERM);
  waitpid(watcher, nullptr, 0);
  return kills.size() == static_cast<size_t>(options.runs) &&
                 removals.size() == static_cast<size_t>(options.runs) &&
                 losses.size() == static_cast<size_t>(options.runs)
             ? 0
             : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.baton = (std::filesystem::path(argv[0]).parent_path() / "../cli/baton").string();
  if (!ParseArgs(argc, argv, options)) {
    std::fprintf(stderr, "usage: watch_bench --lab-dir DIR [--baton PATH] [--runs N<=5]\n");
    return 2;
  }
  char dir[] = "/tmp/baton-watch-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  options.work = dir;
  std::ofstream(options.work / "compose.yaml") << kCompose;
  if (Baton(options, {"up", "-d"}) != 0) {
    std::fprintf(stderr, "watch_bench: up failed\n");
    return 1;
  }
  int result = Bench(options);
  Baton(options, {"down", "-v"});
  std::printf("watcher log: %s/watch.log\n", dir);
  return result;
}
