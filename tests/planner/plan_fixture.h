#pragma once
// Shared by the plan tests: hand-built stacks, a one-line-per-action view of
// a plan, and a runner that applies a plan to an actual state as the engines
// would, so a missing `after` edge shows.

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "planner/plan.h"
#include "tests/planner/placement_fixture.h"
#include "tests/planner/placement_random.h"

namespace baton::planner::testing {

// One line per action: "3 lab1 create shop-web-1 (moved from lab2) after 0,1";
// the local engine reads "local", a push from a host "push IMAGE from lab1".
inline std::string Describe(const Plan& plan) {
  std::string out;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    out += std::to_string(i) + " " + (a.host.empty() ? "local" : a.host) + " " +
           ActionKindName(a.kind) + " " + a.name;
    if (!a.source_host.empty()) out += " from " + a.source_host;
    if (!a.reason.empty()) out += " (" + a.reason + ")";
    for (size_t k = 0; k < a.after.size(); ++k)
      out += (k == 0 ? " after " : ",") + std::to_string(a.after[k]);
    out += "\n";
  }
  return out;
}

inline NetworkSpec Network(const std::string& key, bool external = false) {
  NetworkSpec spec;
  spec.key = key;
  spec.network.name = external ? key : "shop_" + key;
  spec.network.external = external;
  return spec;
}

inline VolumeSpec Volume(const std::string& key, bool external = false) {
  VolumeSpec spec;
  spec.key = key;
  spec.volume.name = external ? key : "shop_" + key;
  spec.volume.external = external;
  return spec;
}

inline void Mount(ServiceSpec& spec, const std::string& volume) {
  compose::VolumeMount mount;
  mount.type = "volume";
  mount.source = volume;
  mount.target = "/data";
  spec.service.volumes.push_back(mount);
}

struct Stack {
  DesiredState desired;
  ActualState actual;
};

// web x2, db x1 with a volume, on two hosts that have nothing yet.
inline Stack Fresh() {
  ServiceSpec db = Service("db");
  Mount(db, "data");
  Stack s{Desired({db, Service("web", 2)}), Actual({Host("lab1"), Host("lab2")})};
  s.desired.networks = {Network("default")};
  s.desired.volumes = {Volume("data")};
  return s;
}

// The state an applied up leaves: containers running, resources present,
// the copies they mount complete.
inline ActualState Converged(const Stack& s) {
  ActualState actual = Applied(s.desired, s.actual, Place(s.desired, s.actual));
  for (HostState& host : actual.hosts) {
    host.networks = {"shop_default"};
    for (const ActualContainer& c : host.containers) {
      host.images.insert(c.image);
      if (c.service == "db") host.volumes.insert("shop_data");
      for (const std::string& digest : c.file_copies) host.file_copies[digest].complete = true;
    }
  }
  return actual;
}

inline Plan Up(const DesiredState& desired, const ActualState& actual, UpOptions options = {}) {
  return MakeUpPlan(desired, actual, Place(desired, actual), options);
}

inline HostState* HostNamed(ActualState& actual, const std::string& name) {
  for (HostState& host : actual.hosts)
    if (host.name == name) return &host;
  return nullptr;
}

// The netd spec hash the cluster tests ask for on every host.
inline constexpr char kNetdHash[] = "netd-hash-1";

// What a container needs on its host before it is created or started; ""
// when all is there. A container on a spanned network (one the host has
// with a subnet) also needs netd, when the plan manages netd at all.
inline std::string Missing(const DesiredState& desired, const HostState& host,
                           const ServiceSpec& spec, bool needs_image, bool manages_netd) {
  if (needs_image && !host.images.count(spec.service.image)) return "image " + spec.service.image;
  for (const NetworkSpec& n : desired.networks) {
    if (n.key != "default") continue;
    if (!host.networks.count(n.network.name)) return "network";
    bool spanned = host.network_subnets.count(n.network.name) > 0;
    if (spanned && manages_netd && !(host.netd.running && host.netd.spec_hash == kNetdHash))
      return "netd";
  }
  for (const std::string& volume : spec.local_volumes)
    if (!host.volumes.count(volume)) return "volume " + volume;
  for (const FileCopyUse& copy : spec.content.copies) {
    auto present = host.file_copies.find(copy.digest);
    if (present == host.file_copies.end() || !present->second.complete)
      return "copy " + copy.digest;
  }
  return "";
}

inline bool IsContainerAction(const Action& a) {
  switch (a.kind) {
    case ActionKind::kCreateContainer:
    case ActionKind::kRecreateContainer:
    case ActionKind::kStartContainer:
    case ActionKind::kStopContainer:
    case ActionKind::kRemoveContainer:
      return true;
    default:
      return false;
  }
}

// Whether the engine `name` ("" = the local one) holds `image`.
inline bool HasImage(const ActualState& actual, const std::string& name,
                     const std::string& image) {
  if (name.empty()) return actual.local_images.count(image) > 0;
  const HostState* host = actual.FindHost(name);
  return host && host->images.count(image) > 0;
}

inline bool IsBuiltImage(const DesiredState& desired, const std::string& image) {
  for (const ServiceSpec& spec : desired.services)
    if (spec.content.build && spec.content.build->tag == image) return true;
  return false;
}

// The content actions (issue 8): a push needs the image at its source, a
// copy is removed only when no container on the host mounts it.
inline void RunContentAction(ActualState& actual, const Action& a) {
  if (a.kind == ActionKind::kBuildImage && a.host.empty()) {
    actual.local_images.insert(a.name);
    return;
  }
  HostState& host = *HostNamed(actual, a.host);
  switch (a.kind) {
    case ActionKind::kBuildImage:
      host.images.insert(a.name);
      break;
    case ActionKind::kUploadFiles:
      host.file_copies[a.name] = {true, false};
      break;
    case ActionKind::kRemoveFiles:
      for (const ActualContainer& c : host.containers)
        REQUIRE(std::count(c.file_copies.begin(), c.file_copies.end(), a.name) == 0);
      host.file_copies.erase(a.name);
      break;
    default:
      FAIL("unexpected " << ActionKindName(a.kind));
  }
}

// Does what `a` asks on `host`, as the engine would; fails the test when a
// container lacks what it needs.
inline void RunAction(const DesiredState& desired, HostState& host, const Action& a,
                      bool manages_netd) {
  const ServiceSpec* spec = desired.FindService(a.service);
  auto gone = [&](const ActualContainer& c) { return c.id == a.container_id || c.name == a.name; };
  switch (a.kind) {
    case ActionKind::kCreateNetwork:
      host.networks.insert(a.name);
      if (!a.subnet.empty()) host.network_subnets[a.name] = a.subnet;
      break;
    case ActionKind::kCreateVolume:
      host.volumes.insert(a.name);
      break;
    case ActionKind::kPullImage:
      host.images.insert(a.name);
      break;
    case ActionKind::kCreateNetd:
    case ActionKind::kRecreateNetd:
      host.netd = {true, true, "netd-id-" + host.name, kNetdHash};
      break;
    case ActionKind::kCreateContainer:
    case ActionKind::kRecreateContainer:
      REQUIRE(Missing(desired, host, *spec, true, manages_netd) == "");
      std::erase_if(host.containers, gone);
      host.containers.push_back(Replica(*spec, a.slot, desired.project));
      break;
    case ActionKind::kStartContainer:
      REQUIRE(Missing(desired, host, *spec, false, manages_netd) == "");
      for (ActualContainer& c : host.containers)
        if (c.id == a.container_id) c.state = "running";
      break;
    case ActionKind::kRemoveContainer:
      std::erase_if(host.containers, gone);
      break;
    default:
      FAIL("unexpected " << ActionKindName(a.kind));
  }
}

// Runs `plan` on `actual` as the engines would, each action once all it
// comes after have run. A container action runs as soon as it may, and the
// other actions in an order drawn from `order`, so a missing edge shows: a
// container would come before its image. Fails the test when the edges have
// a cycle or a container lacks what it needs. `manages_netd`: the plan was
// made with kNetdHash for every host, so containers need netd.
inline ActualState Run(const DesiredState& desired, ActualState actual, const Plan& plan,
                       Random& order, bool manages_netd = false) {
  std::vector<bool> done(plan.actions.size());
  auto ready = [&](size_t i) {
    const auto& after = plan.actions[i].after;
    return !done[i] && std::all_of(after.begin(), after.end(), [&](size_t a) { return done[a]; });
  };
  for (size_t finished = 0; finished < plan.actions.size(); ++finished) {
    std::vector<size_t> containers, others;
    for (size_t i = 0; i < plan.actions.size(); ++i)
      if (ready(i)) (IsContainerAction(plan.actions[i]) ? containers : others).push_back(i);
    REQUIRE(containers.size() + others.size() > 0);
    size_t next = !containers.empty() ? containers.front() : order.Pick(others);
    done[next] = true;
    const Action& a = plan.actions[next];
    if (a.kind == ActionKind::kPushImage) {
      if (IsBuiltImage(desired, a.name)) REQUIRE(HasImage(actual, a.source_host, a.name));
      HostNamed(actual, a.host)->images.insert(a.name);
    } else if (a.kind == ActionKind::kBuildImage || a.kind == ActionKind::kUploadFiles ||
               a.kind == ActionKind::kRemoveFiles) {
      RunContentAction(actual, a);
    } else {
      RunAction(desired, *HostNamed(actual, a.host), a, manages_netd);
    }
  }
  for (HostState& host : actual.hosts)
    std::sort(host.containers.begin(), host.containers.end(),
              [](const ActualContainer& x, const ActualContainer& y) { return x.name < y.name; });
  return actual;
}

}  // namespace baton::planner::testing
