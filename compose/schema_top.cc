// The top level of a compose file and its resources (compose-spec root,
// "network", "volume", "secret", "config", "model" and "include").

#include "compose/schema_common.h"

namespace baton::compose::schema {
namespace {

// `external` is read by the resource rules (bool, or the deprecated {name}).
constexpr Field kIpamPoolFields[] = {
    {"subnet", &kStr}, {"ip_range", &kStr}, {"gateway", &kStr}, {"aux_addresses", &kStringMap}};
constexpr Shape kIpamPool{.kind = Kind::kObject, .fields = kIpamPoolFields, .extensions = true};
constexpr Shape kIpamPools{.kind = Kind::kList, .element = &kIpamPool};
constexpr Field kIpamFields[] = {
    {"driver", &kStr}, {"config", &kIpamPools}, {"options", &kStringMap}};
constexpr Shape kIpam{.kind = Kind::kObject, .fields = kIpamFields, .extensions = true};

constexpr Field kNetworkFields[] = {
    {"name", &kStr},          {"driver", &kStr},        {"driver_opts", &kStringMap},
    {"ipam", &kIpam},         {"external", &kAnything}, {"internal", &kBoolean},
    {"enable_ipv4", &kBoolean}, {"enable_ipv6", &kBoolean}, {"attachable", &kBoolean},
    {"labels", &kListOrDict},
};

constexpr Field kVolumeFields[] = {
    {"name", &kStr},          {"driver", &kStr}, {"driver_opts", &kStringMap},
    {"external", &kAnything}, {"labels", &kListOrDict},
};

constexpr Field kSecretFields[] = {
    {"name", &kStr},          {"environment", &kStr},   {"file", &kStr},
    {"external", &kAnything}, {"labels", &kListOrDict}, {"driver", &kStr},
    {"driver_opts", &kStringMap}, {"template_driver", &kStr},
};

constexpr Field kConfigFields[] = {
    {"name", &kStr},          {"content", &kStr},       {"environment", &kStr},
    {"file", &kStr},          {"external", &kAnything}, {"labels", &kListOrDict},
    {"template_driver", &kStr},
};

constexpr Field kModelFields[] = {
    {"name", &kStr},
    {"model", &kStr},
    {"context_size", &kInteger},
    {"runtime_flags", &kStringList},
};
constexpr std::string_view kModelRequired[] = {"model"};
constexpr Shape kModel{.kind = Kind::kObject, .fields = kModelFields, .extensions = true,
                       .required = kModelRequired};

constexpr Field kIncludeFields[] = {
    {"path", &kStringOrList}, {"env_file", &kStringOrList}, {"project_directory", &kStr}};

constexpr Shape kIncludeItem{.kind = Kind::kRule, .rule = canonical::Include};
constexpr Shape kIncludes{.kind = Kind::kList, .element = &kIncludeItem};
constexpr Shape kServiceEntries{
    .kind = Kind::kMap, .element = &kService, .names = Names::kResource};
constexpr Shape kModelEntries{.kind = Kind::kMap, .element = &kModel};
constexpr Shape kNetworkEntry{.kind = Kind::kRule, .rule = canonical::Network};
constexpr Shape kNetworkEntries{.kind = Kind::kMap, .element = &kNetworkEntry};
constexpr Shape kVolumeEntry{.kind = Kind::kRule, .rule = canonical::Volume};
constexpr Shape kVolumeEntries{
    .kind = Kind::kMap, .element = &kVolumeEntry, .names = Names::kResource};
constexpr Shape kSecretEntry{.kind = Kind::kRule, .rule = canonical::Secret};
constexpr Shape kSecretEntries{
    .kind = Kind::kMap, .element = &kSecretEntry, .names = Names::kResource};
constexpr Shape kConfigEntry{.kind = Kind::kRule, .rule = canonical::Config};
constexpr Shape kConfigEntries{
    .kind = Kind::kMap, .element = &kConfigEntry, .names = Names::kResource};

constexpr Field kFileFields[] = {
    {"version", &kStr},          {"name", &kStr},
    {"include", &kIncludes},     {"services", &kServiceEntries},
    {"models", &kModelEntries},  {"networks", &kNetworkEntries},
    {"volumes", &kVolumeEntries}, {"secrets", &kSecretEntries},
    {"configs", &kConfigEntries},
};

}  // namespace

constexpr Shape kFile{.kind = Kind::kObject, .fields = kFileFields, .extensions = true};
constexpr Shape kNetwork{.kind = Kind::kObject, .fields = kNetworkFields, .extensions = true};
constexpr Shape kVolume{.kind = Kind::kObject, .fields = kVolumeFields, .extensions = true};
constexpr Shape kSecret{.kind = Kind::kObject, .fields = kSecretFields, .extensions = true};
constexpr Shape kConfig{.kind = Kind::kObject, .fields = kConfigFields, .extensions = true};
constexpr Shape kInclude{.kind = Kind::kObject, .fields = kIncludeFields};

}  // namespace baton::compose::schema
