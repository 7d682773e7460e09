#include "runtime/netd/fence.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

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

// {"web":{"1":"lab1","2":"lab3"}} (a placement) or {"web":{"3":"<hex>"}}
// (held slots); what does not read is left out, so a damaged label assigns
// or holds nothing (fenced) rather than everything.
SlotPlacement ParseSlotMap(const std::string& text) {
  SlotPlacement map;
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return map;
  for (const auto& [service, slots] : parsed.items()) {
    if (!slots.is_object()) continue;
    for (const auto& [slot, value] : slots.items()) {
      std::optional<uint64_t> number = ParseDecimal(slot);
      if (number && *number > 0 && *number < 1u << 20 && value.is_string())
        map[service][static_cast<int>(*number)] = value.get<std::string>();
    }
  }
  return map;
}

bool IsSpecHash(const json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// {"web":"<hex>"}; an entry that is not a hash is left out, which means no
// spec check for that service (fence.h says why this label fails open).
ServiceSpecHashes ParseSpecHashes(const std::string& text) {
  ServiceSpecHashes hashes;
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return hashes;
  for (const auto& [service, hash] : parsed.items())
    if (IsSpecHash(hash)) hashes[service] = hash.get<std::string>();
  return hashes;
}

ProjectRecord RecordOf(const json& container, uint64_t generation) {
  return {generation, LabelOf(container, labels::kRemoved) == "true",
          ParseSlotMap(LabelOf(container, labels::kPlacement)),
          ParseSpecHashes(LabelOf(container, labels::kSpecHashes)),
          ParseSlotMap(LabelOf(container, labels::kHeld))};
}

// The spec rule: the replica's spec is its service's, or the old one its
// slot is held at. Unchecked without a hash on either side (an older
// record, a damaged entry, a container without the label, an older peer).
bool SpecServes(const ProjectRecord& record, const dns::Endpoint& endpoint) {
  if (endpoint.spec_hash.empty()) return true;
  auto want = record.spec_hashes.find(endpoint.service);
  if (want == record.spec_hashes.end() || want->second == endpoint.spec_hash) return true;
  auto service = record.held.find(endpoint.service);
  if (service == record.held.end()) return false;
  auto slot = service->second.find(endpoint.slot);
  return slot != service->second.end() && slot->second == endpoint.spec_hash;
}

// The record places (service, slot) on `host` and its spec may serve there.
bool Assigns(const ProjectRecord& record, const dns::Endpoint& endpoint, const std::string& host) {
  if (record.removed) return false;
  auto service = record.placement.find(endpoint.service);
  if (service == record.placement.end()) return false;
  auto slot = service->second.find(endpoint.slot);
  return slot != service->second.end() && slot->second == host && SpecServes(record, endpoint);
}

template <typename T>
T ValueIn(const std::map<std::string, T>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? T{} : it->second;
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
    view[project] = RecordOf(container, *generation);
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

void AnnounceRecords(const FenceView& view, Announcement& out) {
  out.generations = GenerationsOf(view);
  out.placements = PlacementsOf(view);
  out.spec_hashes.clear();
  out.held.clear();
  for (const auto& [project, record] : view) {
    if (record.removed) continue;
    if (!record.spec_hashes.empty()) out.spec_hashes[project] = record.spec_hashes;
    if (!record.held.empty()) out.held[project] = record.held;
  }
}

FenceView NewestRecords(const FenceView& local, const std::vector<Announcement>& peers) {
  FenceView newest = local;
  for (const Announcement& peer : peers) {
    for (const auto& [project, generation] : peer.generations) {
      auto known = newest.find(project);
      if (known != newest.end() && known->second.generation >= generation) continue;
      newest[project] = {generation, false, ValueIn(peer.placements, project),
                         ValueIn(peer.spec_hashes, project), ValueIn(peer.held, project)};
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
