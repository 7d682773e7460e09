// Cross-host networks and service DNS end to end (issue 5): the built baton
// deploys testdata/networking (front and back networks over 3 hosts) and the
// test looks from inside the containers, with the docker CLI on each lab
// host's own socket: names resolve and addresses answer across hosts, only
// within a network; scaling, a killed replica, an unhealthy one and a lost
// host show in DNS within the bounds; `down -v` leaves no route,
// rule, device, helper or network. The whole case runs twice: with the
// overlay chosen automatically (the lab's hosts share a bridge, so plain
// routes) and with VXLAN forced through the hosts file.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "record_fixture.h"
#include "lab_restore.h"
#include "planner/labels.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const std::string kDir = std::string(BATON_SOURCE_DIR) + "/testdata/networking/";

// A command in the lab host's network namespace (its routes, links, rules).
ProgramRun OnHost(const std::string& host, std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/nsenter", "--net=/run/netns/batonlab-" + host});
  return RunProgram(args);
}

// A running replica: where it is and its address on one network.
struct Replica {
  std::string host;
  std::string container;
  std::string address;
};

// The replicas of `service` in `project` with their address on `network`.
std::vector<Replica> Replicas(const Lab& lab, const std::string& project,
                              const std::string& service, const std::string& network) {
  std::vector<Replica> found;
  for (auto& [host, engine] : Engines(lab)) {
    runtime::Filters filters{{"label",
                              {std::string(planner::labels::kProject) + "=" + project,
                               std::string(planner::labels::kService) + "=" + service}}};
    auto list = engine.ListContainers(false, filters);
    if (!list.ok()) FAIL(list.error().ToString());
    for (const runtime::ContainerSummary& c : *list) {
      auto info = engine.InspectContainer(c.id);
      if (!info.ok()) FAIL(info.error().ToString());
      auto endpoint = info->networks.find(project + "_" + network);
      if (endpoint != info->networks.end())
        found.push_back({host, c.name, endpoint->second.ip_address});
    }
  }
  return found;
}

std::set<std::string> Addresses(const std::vector<Replica>& replicas) {
  std::set<std::string> out;
  for (const Replica& r : replicas) out.insert(r.address);
  return out;
}

// What `name` resolves to inside `from`.
std::set<std::string> Lookup(const Lab& lab, const Replica& from, const std::string& name) {
  return NsLookup(lab, from.host, from.container, name);
}

// What `nc` from `from` to address:port reads back ("" when nothing answers in 3 s).
std::string Ask(const Lab& lab, const Replica& from, const std::string& address, int port) {
  ProgramRun run = LabDockerCli(lab, from.host,
                          {"exec", from.container, "sh", "-c",
                           "echo | nc -w 3 " + address + " " + std::to_string(port)});
  return run.out;
}

// The lab's hosts file with the overlay forced to `overlay`.
std::filesystem::path HostsFileWithOverlay(const Lab& lab, const std::string& overlay) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("baton-networking-hosts-" + overlay + ".yaml");
  std::ifstream in(lab.hosts_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t cluster = text.find("\ncluster:");
  if (cluster != std::string::npos) text.erase(cluster + 1);
  std::ofstream(path) << text << "cluster:\n  overlay: " << overlay
                      << "\n  dns_upstream: [10.209.0.1]\n";
  return path;
}

// What baton added to a host's network namespace and engine that is still there.
std::vector<std::string> NetworkLeftovers(const Lab& lab, const std::string& host,
                                          const std::string& project) {
  std::vector<std::string> left;
  ProgramRun routes = OnHost(host, {"ip", "route", "show", "proto", "186"});
  if (!routes.out.empty()) left.push_back(host + " routes: " + routes.out);
  ProgramRun rules = OnHost(host, {"iptables-save"});
  if (rules.out.find("BATON") != std::string::npos)
    left.push_back(host + " iptables: BATON chains");
  ProgramRun link = OnHost(host, {"ip", "link", "show", "baton-vx"});
  if (link.exit_code == 0) left.push_back(host + " link baton-vx");
  ProgramRun netd = LabDockerCli(lab, host, {"ps", "-aq", "--filter", "name=^baton-netd$"});
  if (!netd.out.empty()) left.push_back(host + " container baton-netd");
  ProgramRun networks = LabDockerCli(lab, host,
                               {"network", "ls", "-q", "--filter",
                                std::string("label=") + planner::labels::kProject + "=" + project});
  if (!networks.out.empty()) left.push_back(host + " networks: " + networks.out);
  return left;
}

void NamesAndAddressesAcrossHosts(const Lab& lab, const std::string& project,
                                  const std::string& overlay) {
  std::filesystem::path hosts = HostsFileWithOverlay(lab, overlay);
  auto baton = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--hosts", hosts.string(), "-p", project});
    return RunBaton(lab, args);
  };
  LabRestorer restorer(lab);
  struct Down {
    std::function<void()> run;
    ~Down() { run(); }
  } down{[&] { baton({"down", "-v"}); }};

  ProgramRun up = baton({"-f", kDir + "compose.yaml", "up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  std::vector<Replica> web = Replicas(lab, project, "web", "back");
  std::vector<Replica> api = Replicas(lab, project, "api", "back");
  std::vector<Replica> db = Replicas(lab, project, "db", "back");
  std::vector<Replica> probe = Replicas(lab, project, "probe", "front");
  REQUIRE(web.size() == 1);
  REQUIRE(api.size() == 2);
  REQUIRE(db.size() == 1);
  REQUIRE(probe.size() == 1);
  CHECK(web[0].host == "lab1");
  CHECK(probe[0].host == "lab3");

  // web on lab1 finds and reaches api on lab2 and lab3 over back, within
  // 2 s of `up` returning (the peers' announcements of the replicas just
  // started are on their way).
  auto converged =
      Within(milliseconds(2000), [&] { return Lookup(lab, web[0], "api") == Addresses(api); });
  CHECK(converged);
  if (converged) WARN(overlay << ": api answered on lab1 " << converged->count() << " ms after up");
  CHECK(Lookup(lab, web[0], "tasks.api") == Addresses(api));
  CHECK(Lookup(lab, web[0], "backend") == Addresses(api));
  CHECK(Lookup(lab, web[0], api[0].container) == std::set<std::string>{api[0].address});
  for (const Replica& r : api) {
    INFO("api on " << r.host << " at " << r.address);
    CHECK(Ask(lab, web[0], r.address, 8080).find("api ") == 0);
  }
  CHECK(Ask(lab, web[0], "api", 8080).find("api ") == 0);
  CHECK(Ask(lab, web[0], "db", 5432) == "db\n");

  // probe, only on front, can neither resolve nor reach db, which is only on back.
  CHECK(Lookup(lab, probe[0], "db").empty());
  CHECK(Lookup(lab, probe[0], "api").empty());
  CHECK(Ask(lab, probe[0], db[0].address, 5432).empty());
  CHECK(Lookup(lab, probe[0], "web") == Addresses(Replicas(lab, project, "web", "front")));

  // Scaling api from 2 to 4 shows in DNS within 2 s of `up` returning.
  ProgramRun scale = baton({"-f", kDir + "compose.yaml", "-f", kDir + "api-four.yaml", "up", "-d"});
  INFO(scale.out << scale.err);
  REQUIRE(scale.exit_code == 0);
  auto scaled = Within(milliseconds(2000), [&] { return Lookup(lab, web[0], "api").size() == 4; });
  CHECK(scaled);
  if (scaled) WARN(overlay << ": api answers 4 addresses " << scaled->count() << " ms after up");
  api = Replicas(lab, project, "api", "back");
  REQUIRE(api.size() == 4);
  CHECK(Lookup(lab, web[0], "api") == Addresses(api));

  // A replica that turns unhealthy leaves the answers within 2 s of the engine saying so.
  std::vector<Replica> cache = Replicas(lab, project, "cache", "back");
  REQUIRE(cache.size() == 2);
  auto cache_ready =
      Within(milliseconds(5000), [&] { return Lookup(lab, web[0], "cache") == Addresses(cache); });
  REQUIRE(cache_ready);
  REQUIRE(LabDockerCli(lab, cache[0].host, {"exec", cache[0].container, "rm", "/tmp/ready"}).exit_code ==
          0);
  auto unhealthy = Within(milliseconds(10000), [&] {
    return LabDockerCli(lab, cache[0].host,
                  {"inspect", "-f", "{{.State.Health.Status}}", cache[0].container})
               .out == "unhealthy\n";
  });
  REQUIRE(unhealthy);
  auto unready_gone = Within(milliseconds(2000),
                             [&] { return !Lookup(lab, web[0], "cache").count(cache[0].address); });
  CHECK(unready_gone);
  if (unready_gone)
    WARN(overlay << ": unhealthy cache left DNS after " << unready_gone->count() << " ms");

  // A killed replica leaves the answers within 2 s.
  REQUIRE(LabDockerCli(lab, api[0].host, {"kill", api[0].container}).exit_code == 0);
  auto killed_gone =
      Within(milliseconds(2000), [&] { return !Lookup(lab, web[0], "api").count(api[0].address); });
  CHECK(killed_gone);
  if (killed_gone) WARN(overlay << ": killed api left DNS after " << killed_gone->count() << " ms");

  // down -v removes every route, rule, device, helper and network it added.
  ProgramRun removed = baton({"down", "-v"});
  INFO(removed.out << removed.err);
  CHECK(removed.exit_code == 0);
  for (const transport::HostConfig& host : lab.hosts) {
    std::vector<std::string> left = NetworkLeftovers(lab, host.name, project);
    INFO(host.name);
    CHECK(left == std::vector<std::string>{});
  }

  // A host whose dockerd stops: its replicas leave the answers within 5 s.
  // (Last, since bringing the host back rebuilds the whole lab.)
  ProgramRun again = baton({"-f", kDir + "compose.yaml", "up", "-d"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  web = Replicas(lab, project, "web", "back");
  api = Replicas(lab, project, "api", "back");
  REQUIRE(web.size() == 1);

  // Stopping lab3's dockerd takes its replicas out of the answers within 5 s.
  std::set<std::string> on_lab3;
  for (const Replica& r : api)
    if (r.host == "lab3") on_lab3.insert(r.address);
  REQUIRE(!on_lab3.empty());
  Clock::time_point stop = Clock::now();
  StopDockerd(lab, "lab3");
  milliseconds left =
      milliseconds(5000) - std::chrono::duration_cast<milliseconds>(Clock::now() - stop);
  auto host_gone = Within(left, [&] {
    std::set<std::string> answer = Lookup(lab, web[0], "api");
    for (const std::string& a : on_lab3)
      if (answer.count(a)) return false;
    return !answer.empty();
  });
  CHECK(host_gone);
  if (host_gone)
    WARN(overlay << ": lab3's api left DNS "
                 << std::chrono::duration_cast<milliseconds>(Clock::now() - stop).count()
                 << " ms after its dockerd was told to stop");
  REQUIRE(restorer.Restore() == 0);
}

TEST_CASE("networking lab: names and addresses work across hosts, within one network",
          "[lab][networking]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  NamesAndAddressesAcrossHosts(*lab, "netroutes", "auto");
}

TEST_CASE("networking lab: the same over a forced VXLAN overlay", "[lab][networking]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  NamesAndAddressesAcrossHosts(*lab, "netvxlan", "vxlan");
}

}  // namespace
}  // namespace baton::lab_test
