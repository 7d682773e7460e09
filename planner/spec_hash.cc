// The service is hashed through the serialiser `baton config` uses, so that
// every key the loader understands (typed or passed through) counts without
// a second list of fields to keep up to date here.

#include "planner/spec_hash.h"

#include "base/sha256.h"
#include "compose/serialize.h"
#include "planner/x_baton_keys.h"

namespace baton::planner {
namespace {

constexpr size_t kPartHashDigits = 8;

// The placement-only keys. Removing deploy.replicas and scale is what lets a
// service scale without recreating the replicas it keeps.
void DropPlacementKeys(compose::Node& service) {
  if (compose::Node* deploy = service.Find("deploy"); deploy && deploy->IsMapping()) {
    for (const char* key : {"replicas", "placement", "update_config", "rollback_config"})
      deploy->Erase(key);
    if (deploy->entries().empty()) service.Erase("deploy");
  }
  service.Erase("scale");
  service.Erase("x-baton");
}

// Of x-baton only readiness changes what a replica is (its probe label), so
// it is hashed as a part of its own; a service without it hashes as before.
void AddReadiness(const compose::Service& model, compose::Node& service) {
  if (std::optional<compose::Node> readiness = ReadinessHashNode(model))
    service.Set("readiness", std::move(*readiness));
}

SpecHash HashNode(const compose::Node& node) {
  SpecHash result;
  result.hash = Sha256Hex(compose::ToJson(node));
  for (const compose::MapEntry& entry : node.entries())
    result.parts[entry.key] = Sha256Hex(compose::ToJson(entry.value)).substr(0, kPartHashDigits);
  return result;
}

}  // namespace

compose::Node HashedServiceNode(const compose::Service& service) {
  // ServiceNode is internal to compose; a one-service project gives the same node.
  compose::Project project;
  project.services.emplace(service.name, service);
  compose::Node root = compose::ProjectToNode(project);
  const compose::Node* services = root.Find("services");
  const compose::Node* node = services ? services->Find(service.name) : nullptr;
  compose::Node out = node ? *node : compose::Node::Mapping();
  DropPlacementKeys(out);
  AddReadiness(service, out);
  return out;
}

SpecHash HashService(const compose::Service& service, const ServiceContent& content,
                     const std::string& project_dir) {
  return HashNode(HashedServiceNode(service, content, project_dir));
}

SpecHash HashService(const compose::Service& service) {
  return HashNode(HashedServiceNode(service));
}

}  // namespace baton::planner
