// A service's `deploy` section: replicas, resources, restart and update
// policies, placement.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

constexpr auto kResourceFields = std::to_array<Field<ResourceSpec>>({
    {"cpus", Into<ReadDouble, &ResourceSpec::cpus>},
    {"memory", Into<ReadBytes, &ResourceSpec::memory>},
    {"pids", Into<ReadInt, &ResourceSpec::pids>},
    {"devices",
     [](const Node& v, const ModelPath& at, ResourceSpec& r) {
       if (Status s = RequireSequence(v, at); !s.ok()) return s;
       r.devices = v;
       return Status::Ok();
     }},
    {"generic_resources",
     [](const Node& v, const ModelPath& at, ResourceSpec& r) {
       if (Status s = RequireSequence(v, at); !s.ok()) return s;
       r.generic_resources = v;
       return Status::Ok();
     }},
});

// `limits` and `reservations`, each an optional ResourceSpec.
template <std::optional<ResourceSpec> Deploy::*member>
Status DeployResource(const Node& v, const ModelPath& at, Deploy& d) {
  ResourceSpec spec;
  if (!v.IsNull()) {
    if (Status s = ReadFields<ResourceSpec>(v, at, kResourceFields, spec); !s.ok()) return s;
  }
  d.*member = std::move(spec);
  return Status::Ok();
}

constexpr auto kResourcesFields = std::to_array<Field<Deploy>>({
    {"limits", DeployResource<&Deploy::limits>},
    {"reservations", DeployResource<&Deploy::reservations>},
});

constexpr auto kRestartPolicyFields = std::to_array<Field<RestartPolicy>>({
    {"condition", Into<ReadString, &RestartPolicy::condition>},
    {"delay", Into<ReadDuration, &RestartPolicy::delay>},
    {"max_attempts", Into<ReadUnsigned, &RestartPolicy::max_attempts>},
    {"window", Into<ReadDuration, &RestartPolicy::window>},
});

constexpr auto kUpdateConfigFields = std::to_array<Field<UpdateConfig>>({
    {"parallelism", Into<ReadUnsigned, &UpdateConfig::parallelism>},
    {"delay", Into<ReadDuration, &UpdateConfig::delay>},
    {"failure_action", Into<ReadString, &UpdateConfig::failure_action>},
    {"monitor", Into<ReadDuration, &UpdateConfig::monitor>},
    {"max_failure_ratio", Into<ReadDouble, &UpdateConfig::max_failure_ratio>},
    {"order", Into<ReadString, &UpdateConfig::order>},
});

template <std::optional<UpdateConfig> Deploy::*member>
Status DeployUpdate(const Node& v, const ModelPath& at, Deploy& d) {
  UpdateConfig update;
  if (Status s = ReadFields<UpdateConfig>(v, at, kUpdateConfigFields, update); !s.ok()) return s;
  d.*member = std::move(update);
  return Status::Ok();
}

Status ReadPreferences(const Node& v, const ModelPath& at, Placement& p) {
  if (Status s = RequireSequence(v, at); !s.ok()) return s;
  static constexpr auto kFields = std::to_array<Field<PlacementPreference>>({
      {"spread", Into<ReadString, &PlacementPreference::spread>},
  });
  for (size_t i = 0; i < v.items().size(); ++i) {
    PlacementPreference pref;
    Status s = ReadFields<PlacementPreference>(v.items()[i], at.Index(i), kFields, pref);
    if (!s.ok()) return s;
    p.preferences.push_back(std::move(pref));
  }
  return Status::Ok();
}

constexpr auto kPlacementFields = std::to_array<Field<Placement>>({
    {"constraints", Into<ReadStringList, &Placement::constraints>},
    {"preferences", ReadPreferences},
    {"max_replicas_per_node", Into<ReadUnsigned, &Placement::max_replicas_per_node>},
});

Status ReadReplicas(const Node& v, const ModelPath& at, Deploy& d) {
  return Assign(ReadInt32(v, at, "replicas"), d.replicas);
}

constexpr auto kDeployFields = std::to_array<Field<Deploy>>({
    {"mode", Into<ReadString, &Deploy::mode>},
    {"replicas", ReadReplicas},
    {"labels", Into<ReadStringMap, &Deploy::labels>},
    {"update_config", DeployUpdate<&Deploy::update_config>},
    {"rollback_config", DeployUpdate<&Deploy::rollback_config>},
    {"resources",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       return ReadFields<Deploy>(v, at, kResourcesFields, d);
     }},
    {"restart_policy",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       RestartPolicy policy;
       if (Status s = ReadFields<RestartPolicy>(v, at, kRestartPolicyFields, policy); !s.ok())
         return s;
       d.restart_policy = std::move(policy);
       return Status::Ok();
     }},
    {"placement",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       Placement placement;
       if (Status s = ReadFields<Placement>(v, at, kPlacementFields, placement); !s.ok()) return s;
       d.placement = std::move(placement);
       return Status::Ok();
     }},
    {"endpoint_mode", Into<ReadString, &Deploy::endpoint_mode>},
});

}  // namespace

Status ReadDeploy(const Node& node, const ModelPath& at, Service& service) {
  Deploy deploy;
  if (!node.IsNull()) {
    if (Status s = ReadFields<Deploy>(node, at, kDeployFields, deploy); !s.ok()) return s;
  }
  service.deploy = std::move(deploy);
  return Status::Ok();
}

}  // namespace baton::compose::normalise
