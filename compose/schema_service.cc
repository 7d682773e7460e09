// The keys of a service (compose-spec "service" definition), and the long
// forms of its keys that have several syntaxes.

#include "compose/schema_common.h"

namespace baton::compose::schema {
namespace {

constexpr std::string_view kCgroupChoices[] = {"host", "private"};
constexpr Shape kCgroup{.kind = Kind::kEnum, .choices = kCgroupChoices};

constexpr Field kCredentialSpecFields[] = {
    {"config", &kStr}, {"file", &kStr}, {"registry", &kStr}};
constexpr Shape kCredentialSpec{
    .kind = Kind::kObject, .fields = kCredentialSpecFields, .extensions = true};

constexpr Shape kLoggingOptions{.kind = Kind::kMap, .element = &kStrOrNull};
constexpr Field kLoggingFields[] = {{"driver", &kStr}, {"options", &kLoggingOptions}};
constexpr Shape kLogging{.kind = Kind::kObject, .fields = kLoggingFields, .extensions = true};

constexpr Shape kProviderOptions{.kind = Kind::kMap, .element = &kAnything};
constexpr Field kProviderFields[] = {{"type", &kStr}, {"options", &kProviderOptions}};
constexpr std::string_view kProviderRequired[] = {"type"};
constexpr Shape kProvider{.kind = Kind::kObject, .fields = kProviderFields,
                          .extensions = true, .required = kProviderRequired};

// blkio_config has no `x-` keys in the spec.
constexpr Field kBlkioRateFields[] = {{"path", &kStr}, {"rate", &kByteSize}};
constexpr Shape kBlkioRate{.kind = Kind::kObject, .fields = kBlkioRateFields};
constexpr Shape kBlkioRates{.kind = Kind::kList, .element = &kBlkioRate};
constexpr Field kBlkioIopsFields[] = {{"path", &kStr}, {"rate", &kInteger}};
constexpr Shape kBlkioIops{.kind = Kind::kObject, .fields = kBlkioIopsFields};
constexpr Shape kBlkioIopsList{.kind = Kind::kList, .element = &kBlkioIops};
constexpr Field kBlkioWeightFields[] = {{"path", &kStr}, {"weight", &kInteger}};
constexpr Shape kBlkioWeight{.kind = Kind::kObject, .fields = kBlkioWeightFields};
constexpr Shape kBlkioWeights{.kind = Kind::kList, .element = &kBlkioWeight};
constexpr Field kBlkioFields[] = {
    {"device_read_bps", &kBlkioRates},    {"device_read_iops", &kBlkioIopsList},
    {"device_write_bps", &kBlkioRates},   {"device_write_iops", &kBlkioIopsList},
    {"weight", &kInteger},                {"weight_device", &kBlkioWeights},
};
constexpr Shape kBlkio{.kind = Kind::kObject, .fields = kBlkioFields};

constexpr Shape kBuildValue{.kind = Kind::kRule, .rule = canonical::Build};
constexpr Shape kDependsOn{.kind = Kind::kRule, .rule = canonical::DependsOn};
constexpr Shape kDeviceItem{.kind = Kind::kRule, .rule = canonical::Device};
constexpr Shape kDevices{.kind = Kind::kList, .element = &kDeviceItem};
constexpr Shape kEnvFile{.kind = Kind::kRule, .rule = canonical::EnvFile};
constexpr Shape kExposeItem{.kind = Kind::kRule, .rule = canonical::ExposeItem};
constexpr Shape kExpose{.kind = Kind::kList, .element = &kExposeItem, .unique = true};
constexpr Shape kExtends{.kind = Kind::kRule, .rule = canonical::Extends};
constexpr Shape kGpus{.kind = Kind::kRule, .rule = canonical::Gpus};
constexpr Shape kGroupAdd{.kind = Kind::kList, .element = &kStr, .unique = true};
constexpr Shape kModels{.kind = Kind::kRule, .rule = canonical::ServiceModels};
constexpr Shape kNetworks{.kind = Kind::kRule, .rule = canonical::ServiceNetworks};
constexpr Shape kPorts{.kind = Kind::kRule, .rule = canonical::Ports};
constexpr Shape kHooks{.kind = Kind::kList, .element = &kServiceHook};
constexpr Shape kPreStartHooks{.kind = Kind::kList, .element = &kPreStartHook};
constexpr Shape kPullPolicy{.kind = Kind::kRule, .rule = canonical::PullPolicy};
constexpr Shape kRestart{.kind = Kind::kRule, .rule = canonical::Restart};
constexpr Shape kVolumeItem{.kind = Kind::kRule, .rule = canonical::ServiceVolume};
constexpr Shape kVolumes{.kind = Kind::kList, .element = &kVolumeItem};

constexpr Field kServiceFields[] = {
    {"annotations", &kListOrDict},     {"attach", &kBoolean},
    {"blkio_config", &kBlkio},         {"build", &kBuildValue},
    {"cap_add", &kListOfStrings},      {"cap_drop", &kListOfStrings},
    {"cgroup", &kCgroup},              {"cgroup_parent", &kStr},
    {"command", &kNullableCommand},    {"configs", &kFileMounts},
    {"container_name", &kStr},         {"cpu_count", &kInteger},
    {"cpu_percent", &kInteger},        {"cpu_shares", &kInteger},
    {"cpu_quota", &kInteger},          {"cpu_period", &kInteger},
    {"cpu_rt_period", &kMicrosOrDuration}, {"cpu_rt_runtime", &kMicrosOrDuration},
    {"cpus", &kNum},                   {"cpuset", &kStr},
    {"credential_spec", &kCredentialSpec}, {"depends_on", &kDependsOn},
    {"deploy", &kDeploy},              {"develop", &kDevelop},
    {"device_cgroup_rules", &kListOfStrings}, {"devices", &kDevices},
    {"dns", &kStringOrList},           {"dns_opt", &kListOfStrings},
    {"dns_search", &kStringOrList},    {"domainname", &kStr},
    {"entrypoint", &kNullableCommand}, {"env_file", &kEnvFile},
    {"environment", &kListOrDict},     {"expose", &kExpose},
    {"extends", &kExtends},            {"external_links", &kListOfStrings},
    {"extra_hosts", &kExtraHosts},     {"gpus", &kGpus},
    {"group_add", &kGroupAdd},         {"healthcheck", &kHealthcheck},
    {"hostname", &kStr},               {"image", &kStr},
    {"init", &kBoolean},               {"ipc", &kStr},
    {"isolation", &kStr},              {"label_file", &kStringOrList},
    {"labels", &kListOrDict},          {"links", &kListOfStrings},
    {"logging", &kLogging},            {"mac_address", &kStr},
    {"mem_limit", &kByteSize},         {"mem_reservation", &kByteSize},
    {"mem_swappiness", &kInteger},     {"memswap_limit", &kByteSize},
    {"models", &kModels},              {"network_mode", &kStr},
    {"networks", &kNetworks},          {"oom_kill_disable", &kBoolean},
    {"oom_score_adj", &kInteger},      {"pid", &kStrOrNull},
    {"pids_limit", &kInteger},         {"platform", &kStr},
    {"ports", &kPorts},                {"post_start", &kHooks},
    {"pre_start", &kPreStartHooks},    {"pre_stop", &kHooks},
    {"privileged", &kBoolean},         {"profiles", &kListOfStrings},
    {"provider", &kProvider},          {"pull_policy", &kPullPolicy},
    {"pull_refresh_after", &kStr},     {"read_only", &kBoolean},
    {"restart", &kRestart},            {"runtime", &kStr},
    {"scale", &kInteger},              {"secrets", &kFileMounts},
    {"security_opt", &kListOfStrings}, {"shm_size", &kByteSize},
    {"stdin_open", &kBoolean},         {"stop_grace_period", &kDurationText},
    {"stop_signal", &kStr},            {"storage_opt", &kStringMap},
    {"sysctls", &kListOrDict},         {"tmpfs", &kStringOrList},
    {"tty", &kBoolean},                {"ulimits", &kUlimits},
    {"use_api_socket", &kBoolean},     {"user", &kStr},
    {"userns_mode", &kStr},            {"uts", &kStr},
    {"volumes", &kVolumes},            {"volumes_from", &kListOfStrings},
    {"working_dir", &kStr},
};

// --- long forms of short-syntax keys ----------------------------------------

constexpr std::string_view kPortModes[] = {"ingress", "host"};
constexpr Shape kPortMode{.kind = Kind::kEnum, .choices = kPortModes};
// target, published and protocol are read by the ports rule itself.
constexpr Field kPortFields[] = {
    {"name", &kStr},        {"mode", &kPortMode},        {"host_ip", &kStr},
    {"target", &kAnything}, {"published", &kAnything},   {"protocol", &kAnything},
    {"app_protocol", &kStr},
};

constexpr std::string_view kVolumeTypes[] = {"bind", "volume", "tmpfs",
                                             "cluster", "npipe", "image"};
constexpr Shape kVolumeType{.kind = Kind::kEnum, .choices = kVolumeTypes};
constexpr std::string_view kPropagations[] = {"rprivate", "private", "rshared",
                                              "shared", "rslave", "slave"};
constexpr Shape kPropagation{.kind = Kind::kEnum, .choices = kPropagations};
constexpr std::string_view kRecursiveChoices[] = {"enabled", "disabled", "writable", "readonly"};
constexpr Shape kRecursive{.kind = Kind::kEnum, .choices = kRecursiveChoices};
constexpr std::string_view kSelinuxChoices[] = {"z", "Z"};
constexpr Shape kSelinux{.kind = Kind::kEnum, .choices = kSelinuxChoices};
constexpr Field kBindFields[] = {{"propagation", &kPropagation},
                                 {"create_host_path", &kBoolean},
                                 {"recursive", &kRecursive},
                                 {"selinux", &kSelinux}};
constexpr Shape kBindOptions{.kind = Kind::kObject, .fields = kBindFields, .extensions = true};
constexpr Field kVolumeOptionFields[] = {
    {"labels", &kListOrDict}, {"nocopy", &kBoolean}, {"subpath", &kStr}};
constexpr Shape kVolumeOptions{
    .kind = Kind::kObject, .fields = kVolumeOptionFields, .extensions = true};
constexpr Field kTmpfsFields[] = {{"size", &kByteSize}, {"mode", &kMode}};
constexpr Shape kTmpfsOptions{.kind = Kind::kObject, .fields = kTmpfsFields, .extensions = true};
constexpr Field kImageFields[] = {{"subpath", &kStr}};
constexpr Shape kImageOptions{.kind = Kind::kObject, .fields = kImageFields, .extensions = true};
constexpr Field kVolumeFields[] = {
    {"type", &kVolumeType},   {"source", &kStr},     {"target", &kStr},
    {"read_only", &kBoolean}, {"consistency", &kStr}, {"bind", &kBindOptions},
    {"volume", &kVolumeOptions}, {"tmpfs", &kTmpfsOptions}, {"image", &kImageOptions},
};
constexpr std::string_view kVolumeRequired[] = {"type"};

constexpr Field kDeviceFields[] = {{"source", &kStr}, {"target", &kStr}, {"permissions", &kStr}};
constexpr std::string_view kDeviceRequired[] = {"source"};

constexpr Field kFileMountFields[] = {
    {"source", &kStr}, {"target", &kStr}, {"uid", &kStr}, {"gid", &kStr}, {"mode", &kMode}};

constexpr std::string_view kConditions[] = {"service_started", "service_healthy",
                                            "service_completed_successfully"};
constexpr Shape kCondition{.kind = Kind::kEnum, .choices = kConditions};
// `condition` is required by the spec, but an override file may give only
// `required` or `restart` for a dependency its base file declares.
constexpr Field kDependsOnFields[] = {
    {"restart", &kBoolean}, {"required", &kBoolean}, {"condition", &kCondition}};

constexpr Field kServiceNetworkFields[] = {
    {"aliases", &kListOfStrings},        {"interface_name", &kStr},
    {"ipv4_address", &kStr},             {"ipv6_address", &kStr},
    {"link_local_ips", &kListOfStrings}, {"mac_address", &kStr},
    {"driver_opts", &kStringMap},        {"priority", &kNum},
    {"gw_priority", &kNum},
};

constexpr Field kServiceModelFields[] = {{"endpoint_var", &kStr}, {"model_var", &kStr}};

constexpr Field kEnvFileFields[] = {{"path", &kStr}, {"format", &kStr}, {"required", &kBoolean}};
constexpr std::string_view kPathRequired[] = {"path"};

constexpr Field kExtendsFields[] = {{"service", &kStr}, {"file", &kStr}};
constexpr std::string_view kExtendsRequired[] = {"service"};

constexpr Field kUlimitFields[] = {{"hard", &kInteger}, {"soft", &kInteger}};
constexpr std::string_view kUlimitRequired[] = {"soft", "hard"};

}  // namespace

constexpr Shape kService{.kind = Kind::kObject, .fields = kServiceFields, .extensions = true};
constexpr Shape kPortLong{.kind = Kind::kObject, .fields = kPortFields, .extensions = true};
constexpr Shape kVolumeLong{.kind = Kind::kObject, .fields = kVolumeFields,
                            .extensions = true, .required = kVolumeRequired};
constexpr Shape kDeviceLong{.kind = Kind::kObject, .fields = kDeviceFields,
                            .extensions = true, .required = kDeviceRequired};
constexpr Shape kFileMount{.kind = Kind::kObject, .fields = kFileMountFields, .extensions = true};
constexpr Shape kDependsOnEntry{
    .kind = Kind::kObject, .fields = kDependsOnFields, .extensions = true};
constexpr Shape kServiceNetwork{
    .kind = Kind::kObject, .fields = kServiceNetworkFields, .extensions = true};
constexpr Shape kServiceModel{
    .kind = Kind::kObject, .fields = kServiceModelFields, .extensions = true};
constexpr Shape kEnvFileLong{
    .kind = Kind::kObject, .fields = kEnvFileFields, .required = kPathRequired};
constexpr Shape kExtendsLong{
    .kind = Kind::kObject, .fields = kExtendsFields, .required = kExtendsRequired};
constexpr Shape kUlimitLong{.kind = Kind::kObject, .fields = kUlimitFields,
                            .extensions = true, .required = kUlimitRequired};

}  // namespace baton::compose::schema
