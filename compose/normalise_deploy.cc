// A service's `deploy` section: replicas, resources, restart and update
// policies, placement.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

constexpr auto kResourceFields = std::to_array<Field<ResourceSpec>>({
    {"cpus",
     [](const Node& v, const ModelPath& at, ResourceSpec& r) {
       return Assign(ReadDouble(v, at), r.cpus);
     }},
    {"memory",
     [](const Node& v, const ModelPath& at, ResourceSpec& r) {
       return Assign(ReadBytes(v, at), r.memory);
     }},
    {"pids",
     [](const Node& v, const ModelPath& at, ResourceSpec& r) {
       return Assign(ReadInt(v, at), r.pids);
     }},
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
    {"condition",
     [](const Node& v, const ModelPath& at, RestartPolicy& r) {
       return Assign(ReadString(v, at), r.condition);
     }},
    {"delay",
     [](const Node& v, const ModelPath& at, RestartPolicy& r) {
       return Assign(ReadDuration(v, at), r.delay);
     }},
    {"max_attempts",
     [](const Node& v, const ModelPath& at, RestartPolicy& r) {
       return Assign(ReadUnsigned(v, at), r.max_attempts);
     }},
    {"window",
     [](const Node& v, const ModelPath& at, RestartPolicy& r) {
       return Assign(ReadDuration(v, at), r.window);
     }},
});

template <std::string UpdateConfig::*member>
Status UpdateString(const Node& v, const ModelPath& at, UpdateConfig& u) {
  return Assign(ReadString(v, at), u.*member);
}

template <std::optional<Duration> UpdateConfig::*member>
Status UpdateDuration(const Node& v, const ModelPath& at, UpdateConfig& u) {
  return Assign(ReadDuration(v, at), u.*member);
}

constexpr auto kUpdateConfigFields = std::to_array<Field<UpdateConfig>>({
    {"parallelism",
     [](const Node& v, const ModelPath& at, UpdateConfig& u) {
       return Assign(ReadUnsigned(v, at), u.parallelism);
     }},
    {"delay", UpdateDuration<&UpdateConfig::delay>},
    {"failure_action", UpdateString<&UpdateConfig::failure_action>},
    {"monitor", UpdateDuration<&UpdateConfig::monitor>},
    {"max_failure_ratio",
     [](const Node& v, const ModelPath& at, UpdateConfig& u) {
       return Assign(ReadDouble(v, at), u.max_failure_ratio);
     }},
    {"order", UpdateString<&UpdateConfig::order>},
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
      {"spread",
       [](const Node& v, const ModelPath& at, PlacementPreference& p) {
         return Assign(ReadString(v, at), p.spread);
       }},
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
    {"constraints",
     [](const Node& v, const ModelPath& at, Placement& p) {
       return Assign(ReadStringList(v, at), p.constraints);
     }},
    {"preferences", ReadPreferences},
    {"max_replicas_per_node",
     [](const Node& v, const ModelPath& at, Placement& p) {
       return Assign(ReadUnsigned(v, at), p.max_replicas_per_node);
     }},
});

Status ReadReplicas(const Node& v, const ModelPath& at, Deploy& d) {
  Result<int64_t> replicas = ReadInt(v, at);
  if (!replicas.ok()) return std::move(replicas).error();
  if (*replicas < INT32_MIN || *replicas > INT32_MAX)
    return Error::Invalid(Where(v, at), "replicas " + v.scalar() + " out of range");
  d.replicas = static_cast<int>(*replicas);
  return Status::Ok();
}

constexpr auto kDeployFields = std::to_array<Field<Deploy>>({
    {"mode",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       return Assign(ReadString(v, at), d.mode);
     }},
    {"replicas", ReadReplicas},
    {"labels",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       return Assign(ReadStringMap(v, at), d.labels);
     }},
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
    {"endpoint_mode",
     [](const Node& v, const ModelPath& at, Deploy& d) {
       return Assign(ReadString(v, at), d.endpoint_mode);
     }},
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
