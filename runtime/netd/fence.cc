#include "runtime/netd/fence.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "planner/labels.h"

namespace baton::netd {
namespace {

namespace labels = planner::labels;
using nlohmann::json;

std::string LabelOf(const json& container, const char* key) {
  if (!container.is_object()) return "";
  auto all = container.find("Labels");
  if (all == container.end() || !all->is_object()) return "";
  auto it = all->find(key);
  return it != all->end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// {"web":{"1":"lab1","2":"lab3"}}; what does not read is left out, so a
// damaged label assigns nothing (fenced) rather than everything.
SlotPlacement ParsePlacement(const std::string& text) {
  SlotPlacement placement;
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return placement;
  for (const auto& [service, slots] : parsed.items()) {
    if (!slots.is_object()) continue;
    for (const auto& [slot, host] : slots.items()) {
      std::optional<uint64_t> number = ParseDecimal(slot);
      if (number && *number > 0 && *number < 1u << 20 && host.is_string())
        placement[service][static_cast<int>(*number)] = host.get<std::string>();
    }
  }
  return placement;
}

bool Assigns(const ProjectRecord& record, const dns::Endpoint& endpoint, const std::string& host) {
  if (record.removed) return false;
  auto service = record.placement.find(endpoint.service);
  if (service == record.placement.end()) return false;
  auto slot = service->second.find(endpoint.slot);
  return slot != service->second.end() && slot->second == host;
}

uint64_t GenerationIn(const Generations& generations, const std::string& project) {
  auto it = generations.find(project);
  return it == generations.end() ? 0 : it->second;
}

}  // namespace

Result<FenceView> ReadStateRecords(std::string_view text) {
  json list = json::parse(text, nullptr, false);
  if (list.is_discarded() || !list.is_array())
    return Error::Invalid("engine", "unreadable state record list");
  FenceView view;
  for (const json& container : list) {
    if (LabelOf(container, labels::kRole) != labels::kStateRole) continue;
    std::string project = LabelOf(container, labels::kStateOf);
    std::optional<uint64_t> generation = ParseDecimal(LabelOf(container, labels::kGeneration));
    if (project.empty() || !generation) continue;
    auto known = view.find(project);
    if (known != view.end() && known->second.generation >= *generation) continue;
    view[project] = {*generation, LabelOf(container, labels::kRemoved) == "true",
                     ParsePlacement(LabelOf(container, labels::kPlacement))};
  }
  return view;
}

Generations GenerationsOf(const FenceView& view) {
  Generations generations;
  for (const auto& [project, record] : view) generations[project] = record.generation;
  return generations;
}

std::map<std::string, SlotPlacement> PlacementsOf(const FenceView& view) {
  std::map<std::string, SlotPlacement> placements;
  for (const auto& [project, record] : view)
    if (!record.removed) placements[project] = record.placement;
  return placements;
}

FenceView NewestRecords(const FenceView& local, const std::vector<Announcement>& peers) {
  FenceView newest = local;
  for (const Announcement& peer : peers) {
    for (const auto& [project, generation] : peer.generations) {
      auto known = newest.find(project);
      if (known != newest.end() && known->second.generation >= generation) continue;
      auto placement = peer.placements.find(project);
      newest[project] = {generation, false,
                         placement == peer.placements.end() ? SlotPlacement{} : placement->second};
    }
  }
  return newest;
}

bool LocalReady(const FenceView& newest, const std::string& self, const dns::Endpoint& endpoint) {
  if (endpoint.project.empty()) return true;
  auto record = newest.find(endpoint.project);
  if (record == newest.end()) return true;
  return Assigns(record->second, endpoint, self);
}

bool RemoteAccepted(const FenceView& local, const Generations& peer_generations,
                    const std::string& peer, const dns::Endpoint& endpoint) {
  if (endpoint.project.empty()) return true;
  auto record = local.find(endpoint.project);
  uint64_t ours = record == local.end() ? 0 : record->second.generation;
  uint64_t theirs = GenerationIn(peer_generations, endpoint.project);
  if (ours == 0 && theirs == 0) return true;
  if (ours < theirs) return true;
  return Assigns(record->second, endpoint, peer);
}

std::vector<dns::Endpoint> FenceLocal(std::vector<dns::Endpoint> local, const FenceView& newest,
                                      const std::string& self) {
  for (dns::Endpoint& endpoint : local)
    endpoint.ready = endpoint.ready && LocalReady(newest, self, endpoint);
  return local;
}

std::vector<dns::Endpoint> AcceptRemote(const FenceView& view, const Announcement& peer) {
  std::vector<dns::Endpoint> endpoints = peer.endpoints;
  for (dns::Endpoint& endpoint : endpoints)
    endpoint.ready = endpoint.ready && RemoteAccepted(view, peer.generations, peer.host, endpoint);
  return endpoints;
}

}  // namespace baton::netd
