// What `up` costs across real hosts (the lab's, after `baton lab up 3`), for
// the ten-service stack in testdata/bench/stack10:
//   1. fresh up, hosts in parallel (observe, place, plan, apply), against the
//      same containers started one host after another: parallel should cost
//      about the slowest host's share (target <= 1.2x);
//   2. no-op up, the whole `baton up -d` command as a user runs it (load,
//      one SSH connection per host, observe, plan, nothing applied): < 1 s.
// Every run ends with `down`, so the hosts are left as found.
//
// Usage: up_bench [--hosts FILE] [--baton PATH] [--runs N]
// The hosts file defaults to $BATON_HOSTS; the baton binary to the one built
// beside this benchmark.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "bench/bench_util.h"
#include "cli/host_options.h"
#include "compose/load.h"
#include "planner/desired_state.h"
#include "planner/placement.h"
#include "planner/plan.h"
#include "runtime/apply.h"
#include "runtime/host_pool.h"
#include "runtime/observe.h"

namespace {

using baton::bench::Median;
using Clock = std::chrono::steady_clock;
namespace planner = baton::planner;
namespace runtime = baton::runtime;

struct BenchOptions {
  std::string hosts_file;
  std::string baton;
  int runs = 3;
};

// This machine's CPU counters (/proc/stat), to tell how busy the CPUs were
// during a phase: the lab's hosts share this machine's cores, so a phase
// that already keeps every core busy cannot get faster by running hosts in
// parallel.
struct CpuTicks {
  unsigned long long busy = 0, total = 0;
};

CpuTicks ReadCpuTicks() {
  CpuTicks ticks;
  std::FILE* stat = std::fopen("/proc/stat", "r");
  if (stat == nullptr) return ticks;
  unsigned long long v[8] = {};
  if (std::fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                  &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
    ticks.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    ticks.total = ticks.busy + v[3] + v[4];
  }
  std::fclose(stat);
  return ticks;
}

// Percent of all cores busy between two readings.
double BusyPercent(const CpuTicks& before, const CpuTicks& after) {
  unsigned long long total = after.total - before.total;
  return total == 0 ? 0 : 100.0 * static_cast<double>(after.busy - before.busy) /
                              static_cast<double>(total);
}

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

bool Check(const baton::Status& status, const char* what) {
  if (status.ok()) return true;
  std::fprintf(stderr, "up_bench: %s: %s\n", what, status.error().ToString().c_str());
  return false;
}

std::filesystem::path StackFile() {
  return std::filesystem::path(BATON_SOURCE_DIR) / "testdata/bench/stack10/compose.yaml";
}

baton::Result<planner::DesiredState> LoadStack() {
  baton::compose::LoadOptions load;
  load.files = {StackFile().string()};
  load.working_dir = std::filesystem::current_path();
  baton::RealFileSystem files;
  auto project = baton::compose::Load(load, files);
  if (!project.ok()) return project.error();
  return planner::MakeDesiredState(*project);
}

planner::Plan UpPlan(const planner::DesiredState& desired, runtime::HostPool& pool) {
  planner::ActualState actual = runtime::ObserveProject(desired, pool);
  planner::Placement placement = planner::Place(desired, actual);
  return planner::MakeUpPlan(desired, actual, placement, {});
}

bool Down(const planner::DesiredState& desired, runtime::HostPool& pool) {
  planner::ActualState actual = runtime::ObserveProject(desired, pool);
  planner::Plan plan = planner::MakeDownPlan(desired, actual, {});
  return Check(runtime::ApplyPlan(plan, desired, pool, {}), "down");
}

// The actions of `plan` on `host` alone, with their order kept.
planner::Plan HostShare(const planner::Plan& plan, const std::string& host) {
  planner::Plan share = plan;
  share.actions.clear();
  std::map<size_t, size_t> renumbered;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    if (plan.actions[i].host != host) continue;
    renumbered[i] = share.actions.size();
    share.actions.push_back(plan.actions[i]);
  }
  for (planner::Action& action : share.actions) {
    std::vector<size_t> after;
    for (size_t index : action.after)
      if (renumbered.count(index)) after.push_back(renumbered[index]);
    action.after = after;
  }
  return share;
}

// Starts the stack one host after another; returns each host's time.
bool TimeSerialUp(const planner::DesiredState& desired, runtime::HostPool& pool,
                  std::vector<double>& per_host) {
  planner::Plan plan = UpPlan(desired, pool);
  for (const runtime::HostHandle& host : pool.hosts()) {
    planner::Plan share = HostShare(plan, host.config.name);
    Clock::time_point start = Clock::now();
    if (!Check(runtime::ApplyPlan(share, desired, pool, {}), "serial up")) return false;
    per_host.push_back(Millis(Clock::now() - start));
  }
  return true;
}

bool TimeParallelUp(const planner::DesiredState& desired, runtime::HostPool& pool, double& millis) {
  Clock::time_point start = Clock::now();
  planner::Plan plan = UpPlan(desired, pool);
  bool ok = Check(runtime::ApplyPlan(plan, desired, pool, {}), "parallel up");
  millis = Millis(Clock::now() - start);
  return ok;
}

// Runs `baton -f STACK up -d` as a user would; returns its exit code.
int RunBatonUp(const BenchOptions& options) {
  return baton::bench::Run({options.baton, "--hosts", options.hosts_file, "-f",
                            StackFile().string(), "up", "-d"});
}

bool ParseArgs(int argc, char** argv, BenchOptions& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--hosts")
      options.hosts_file = argv[i + 1];
    else if (flag == "--baton")
      options.baton = argv[i + 1];
    else if (flag == "--runs")
      options.runs = std::atoi(argv[i + 1]);
    else
      return false;
  }
  return argc % 2 == 1 && options.runs > 0;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  if (const char* hosts = std::getenv("BATON_HOSTS")) options.hosts_file = hosts;
  options.baton = (std::filesystem::path(argv[0]).parent_path() / "../cli/baton").string();
  if (!ParseArgs(argc, argv, options) || options.hosts_file.empty()) {
    std::fprintf(stderr, "usage: up_bench [--hosts FILE] [--baton PATH] [--runs N]\n");
    return 2;
  }
  baton::cli::HostOptions host_options;
  host_options.hosts_file = options.hosts_file;
  auto inventory = baton::cli::SelectHostsFromProcess(host_options, "");
  if (!inventory.ok()) return Check(inventory.error(), "hosts") ? 0 : 1;
  auto ssh = baton::cli::MakeSshOptions(host_options, inventory->settings);
  if (!ssh.ok()) return Check(ssh.error(), "ssh") ? 0 : 1;
  auto desired = LoadStack();
  if (!desired.ok()) return Check(desired.error(), "load") ? 0 : 1;
  runtime::HostPool pool = runtime::HostPool::Open(inventory->hosts, *ssh);
  for (const runtime::HostHandle& host : pool.hosts())
    if (!host.reachable()) return Check(*host.error, "connect") ? 0 : 1;
  if (!Down(*desired, pool)) return 1;

  std::vector<double> serial_sum, serial_slowest, parallel, noop, serial_busy, parallel_busy;
  for (int run = 0; run < options.runs; ++run) {
    std::vector<double> per_host;
    CpuTicks before = ReadCpuTicks();
    if (!TimeSerialUp(*desired, pool, per_host)) return 1;
    serial_busy.push_back(BusyPercent(before, ReadCpuTicks()));
    if (!Down(*desired, pool)) return 1;
    double sum = 0, slowest = 0;
    for (double millis : per_host) sum += millis, slowest = std::max(slowest, millis);
    serial_sum.push_back(sum);
    serial_slowest.push_back(slowest);
    double millis = 0;
    before = ReadCpuTicks();
    if (!TimeParallelUp(*desired, pool, millis)) return 1;
    parallel_busy.push_back(BusyPercent(before, ReadCpuTicks()));
    parallel.push_back(millis);
    Clock::time_point start = Clock::now();
    if (RunBatonUp(options) != 0) {
      std::fprintf(stderr, "up_bench: `baton up -d` of an unchanged stack failed\n");
      return 1;
    }
    noop.push_back(Millis(Clock::now() - start));
    if (!Down(*desired, pool)) return 1;
  }
  double slowest = Median(serial_slowest);
  std::printf(
      "fresh up, one host after another: %.0f ms (slowest host's share %.0f ms), "
      "CPUs %.0f%% busy\n",
      Median(serial_sum), slowest, Median(serial_busy));
  std::printf(
      "fresh up, hosts in parallel:      %.0f ms (%.2fx the slowest host's share), "
      "CPUs %.0f%% busy\n",
      Median(parallel), Median(parallel) / slowest, Median(parallel_busy));
  std::printf("no-op `baton up -d` (whole command): %.0f ms\n", Median(noop));
  return 0;
}
