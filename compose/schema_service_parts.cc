// The nested parts of a service: build, healthcheck, deploy, develop and the
// lifecycle hooks (compose-spec "build", "healthcheck", "deployment",
// "development", "service_hook" and "devices" definitions).

#include "compose/schema_common.h"

namespace baton::compose::schema {
namespace {

// --- build -----------------------------------------------------------------

constexpr Shape kSsh{.kind = Kind::kRule, .rule = canonical::SshKeys};
constexpr Shape kContexts{.kind = Kind::kRule, .rule = canonical::KeyValueList};

constexpr Field kBuildFields[] = {
    {"context", &kStr},           {"dockerfile", &kStr},
    {"dockerfile_inline", &kStr}, {"entitlements", &kStringList},
    {"args", &kListOrDict},       {"ssh", &kSsh},
    {"labels", &kListOrDict},     {"cache_from", &kStringList},
    {"cache_to", &kStringList},   {"no_cache", &kBoolean},
    {"no_cache_filter", &kStringOrList}, {"additional_contexts", &kContexts},
    {"network", &kStr},           {"provenance", &kStr},
    {"sbom", &kStr},              {"pull", &kBoolean},
    {"target", &kStr},            {"shm_size", &kByteSize},
    {"extra_hosts", &kExtraHosts}, {"isolation", &kStr},
    {"privileged", &kBoolean},    {"secrets", &kFileMounts},
    {"tags", &kStringList},       {"ulimits", &kUlimits},
    {"platforms", &kStringList},
};

// --- healthcheck -------------------------------------------------------------

constexpr Shape kHealthTest{.kind = Kind::kRule, .rule = canonical::HealthcheckTest};
constexpr Field kHealthcheckFields[] = {
    {"disable", &kBoolean},          {"interval", &kDurationText},
    {"retries", &kInteger},          {"test", &kHealthTest},
    {"timeout", &kDurationText},     {"start_period", &kDurationText},
    {"start_interval", &kDurationText},
};

// --- deploy ------------------------------------------------------------------

constexpr std::string_view kDeployModes[] = {"replicated", "global", "replicated-job",
                                             "global-job"};
constexpr Shape kDeployMode{.kind = Kind::kEnum, .choices = kDeployModes};
constexpr std::string_view kEndpointModes[] = {"vip", "dnsrr"};
constexpr Shape kEndpointMode{.kind = Kind::kEnum, .choices = kEndpointModes};
constexpr std::string_view kOrders[] = {"start-first", "stop-first"};
constexpr Shape kOrder{.kind = Kind::kEnum, .choices = kOrders};

constexpr std::string_view kUpdateFailureActions[] = {"continue", "pause", "rollback"};
constexpr Shape kUpdateFailureAction{.kind = Kind::kEnum, .choices = kUpdateFailureActions};
constexpr Field kUpdateFields[] = {
    {"parallelism", &kInteger},   {"delay", &kDurationText},
    {"failure_action", &kUpdateFailureAction}, {"monitor", &kDurationText},
    {"max_failure_ratio", &kNum}, {"order", &kOrder},
};
constexpr Shape kUpdateConfig{.kind = Kind::kObject, .fields = kUpdateFields, .extensions = true};

constexpr std::string_view kRollbackFailureActions[] = {"continue", "pause"};
constexpr Shape kRollbackFailureAction{.kind = Kind::kEnum, .choices = kRollbackFailureActions};
constexpr Field kRollbackFields[] = {
    {"parallelism", &kInteger},   {"delay", &kDurationText},
    {"failure_action", &kRollbackFailureAction}, {"monitor", &kDurationText},
    {"max_failure_ratio", &kNum}, {"order", &kOrder},
};
constexpr Shape kRollbackConfig{
    .kind = Kind::kObject, .fields = kRollbackFields, .extensions = true};

constexpr Field kLimitFields[] = {{"cpus", &kNum}, {"memory", &kByteSize}, {"pids", &kInteger}};
constexpr Shape kLimits{.kind = Kind::kObject, .fields = kLimitFields, .extensions = true};

constexpr Field kDiscreteFields[] = {{"kind", &kStr}, {"value", &kNum}};
constexpr Shape kDiscrete{.kind = Kind::kObject, .fields = kDiscreteFields, .extensions = true};
constexpr Field kGenericResourceFields[] = {{"discrete_resource_spec", &kDiscrete}};
constexpr Shape kGenericResource{
    .kind = Kind::kObject, .fields = kGenericResourceFields, .extensions = true};
constexpr Shape kGenericResources{.kind = Kind::kList, .element = &kGenericResource};

constexpr Field kDeviceRequestFields[] = {
    {"capabilities", &kListOfStrings}, {"count", &kStr}, {"device_ids", &kListOfStrings},
    {"driver", &kStr},                 {"options", &kListOrDict},
};
constexpr std::string_view kCapabilitiesRequired[] = {"capabilities"};
constexpr Shape kReservedDevice{.kind = Kind::kObject, .fields = kDeviceRequestFields,
                                .extensions = true, .required = kCapabilitiesRequired};
constexpr Shape kReservedDevices{.kind = Kind::kList, .element = &kReservedDevice};

constexpr Field kReservationFields[] = {
    {"cpus", &kNum}, {"memory", &kByteSize},
    {"generic_resources", &kGenericResources}, {"devices", &kReservedDevices},
};
constexpr Shape kReservations{
    .kind = Kind::kObject, .fields = kReservationFields, .extensions = true};
constexpr Field kResourceFields[] = {{"limits", &kLimits}, {"reservations", &kReservations}};
constexpr Shape kResources{.kind = Kind::kObject, .fields = kResourceFields, .extensions = true};

constexpr std::string_view kRestartConditions[] = {"none", "on-failure", "any"};
constexpr Shape kRestartCondition{.kind = Kind::kEnum, .choices = kRestartConditions};
constexpr Field kRestartPolicyFields[] = {
    {"condition", &kRestartCondition}, {"delay", &kDurationText},
    {"max_attempts", &kInteger},       {"window", &kDurationText},
};
constexpr Shape kRestartPolicy{
    .kind = Kind::kObject, .fields = kRestartPolicyFields, .extensions = true};

constexpr Field kPreferenceFields[] = {{"spread", &kStr}};
constexpr Shape kPreference{.kind = Kind::kObject, .fields = kPreferenceFields, .extensions = true};
constexpr Shape kPreferences{.kind = Kind::kList, .element = &kPreference};
constexpr Field kPlacementFields[] = {
    {"constraints", &kStringList}, {"preferences", &kPreferences},
    {"max_replicas_per_node", &kInteger},
};
constexpr Shape kPlacement{.kind = Kind::kObject, .fields = kPlacementFields, .extensions = true};

constexpr Field kDeployFields[] = {
    {"mode", &kDeployMode},          {"endpoint_mode", &kEndpointMode},
    {"replicas", &kInteger},         {"labels", &kListOrDict},
    {"rollback_config", &kRollbackConfig}, {"update_config", &kUpdateConfig},
    {"resources", &kResources},      {"restart_policy", &kRestartPolicy},
    {"placement", &kPlacement},
};

// --- develop -----------------------------------------------------------------

constexpr std::string_view kWatchActions[] = {"rebuild", "sync", "restart", "sync+restart",
                                              "sync+exec"};
constexpr Shape kWatchAction{.kind = Kind::kEnum, .choices = kWatchActions};
constexpr Field kWatchFields[] = {
    {"ignore", &kStringOrList}, {"include", &kStringOrList}, {"path", &kStr},
    {"action", &kWatchAction},  {"target", &kStr},           {"exec", &kServiceHook},
    {"initial_sync", &kBoolean},
};
constexpr std::string_view kWatchRequired[] = {"path", "action"};
constexpr Shape kWatch{.kind = Kind::kObject, .fields = kWatchFields, .extensions = true,
                       .required = kWatchRequired};
constexpr Shape kWatches{.kind = Kind::kList, .element = &kWatch};
constexpr Field kDevelopFields[] = {{"watch", &kWatches}};

// --- hooks -------------------------------------------------------------------

constexpr Field kServiceHookFields[] = {
    {"command", &kNullableCommand}, {"user", &kStr}, {"privileged", &kBoolean},
    {"working_dir", &kStr},         {"environment", &kListOrDict},
};
constexpr std::string_view kCommandRequired[] = {"command"};
constexpr Field kPreStartHookFields[] = {
    {"command", &kNullableCommand}, {"image", &kStr},       {"user", &kStr},
    {"privileged", &kBoolean},      {"working_dir", &kStr}, {"environment", &kListOrDict},
    {"per_replica", &kBoolean},
};

}  // namespace

constexpr Shape kBuild{.kind = Kind::kObject, .fields = kBuildFields, .extensions = true};
constexpr Shape kHealthcheck{
    .kind = Kind::kObject, .fields = kHealthcheckFields, .extensions = true};
constexpr Shape kDeploy{
    .kind = Kind::kObject, .nullable = true, .fields = kDeployFields, .extensions = true};
constexpr Shape kDevelop{
    .kind = Kind::kObject, .nullable = true, .fields = kDevelopFields, .extensions = true};
constexpr Shape kServiceHook{.kind = Kind::kObject, .fields = kServiceHookFields,
                             .extensions = true, .required = kCommandRequired};
constexpr Shape kPreStartHook{
    .kind = Kind::kObject, .fields = kPreStartHookFields, .extensions = true};
constexpr Shape kDeviceRequest{
    .kind = Kind::kObject, .fields = kDeviceRequestFields, .extensions = true};

}  // namespace baton::compose::schema
