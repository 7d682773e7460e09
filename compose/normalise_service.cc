// One service: the key table that says which keys the model types and how
// each is read. Keys not in the table go, as written, to Service::other.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

using ServiceField = Field<Service>;

// `command: null` leaves the image's command; `command: []` clears it.
template <std::optional<std::vector<std::string>> Service::*member>
Status CommandField(const Node& value, const ModelPath& at, Service& s) {
  if (value.IsNull()) {
    (s.*member).reset();
    return Status::Ok();
  }
  return Assign(ReadStringList(value, at), s.*member);
}

Status ReadScale(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadInt32(value, at, "scale"), s.scale);
}

constexpr auto kServiceFields = std::to_array<ServiceField>({
    {"profiles", Into<ReadStringList, &Service::profiles>},
    {"image", Into<ReadString, &Service::image>},
    {"build", ReadBuild},
    {"command", CommandField<&Service::command>},
    {"entrypoint", CommandField<&Service::entrypoint>},
    {"environment", Into<ReadOptionalStringMap, &Service::environment>},
    {"env_file", ReadEnvFiles},
    {"labels", Into<ReadStringMap, &Service::labels>},
    {"label_file", ReadLabelFiles},
    {"ports", ReadPorts},
    {"expose", Into<ReadStringList, &Service::expose>},
    {"volumes", ReadVolumeMounts},
    {"tmpfs", Into<ReadStringList, &Service::tmpfs>},
    {"networks", ReadServiceNetworks},
    {"network_mode", Into<ReadString, &Service::network_mode>},
    {"depends_on", ReadDependsOn},
    {"healthcheck", ReadHealthcheck},
    {"restart", Into<ReadString, &Service::restart>},
    {"deploy", ReadDeploy},
    {"scale", ReadScale},
    {"secrets", ReadSecretReferences},
    {"configs", ReadConfigReferences},
    {"user", Into<ReadString, &Service::user>},
    {"working_dir", Into<ReadString, &Service::working_dir>},
    {"hostname", Into<ReadString, &Service::hostname>},
    {"container_name", Into<ReadString, &Service::container_name>},
    {"cap_add", Into<ReadStringList, &Service::cap_add>},
    {"cap_drop", Into<ReadStringList, &Service::cap_drop>},
    {"privileged", Into<ReadBool, &Service::privileged>},
    {"read_only", Into<ReadBool, &Service::read_only>},
    {"init", Into<ReadBool, &Service::init>},
    {"ulimits", ReadUlimits},
    {"sysctls", Into<ReadStringMap, &Service::sysctls>},
    {"logging", ReadLogging},
    {"stop_signal", Into<ReadString, &Service::stop_signal>},
    {"stop_grace_period", Into<ReadDuration, &Service::stop_grace_period>},
    {"pull_policy", Into<ReadString, &Service::pull_policy>},
    {"platform", Into<ReadString, &Service::platform>},
    {"extra_hosts", Into<ReadStringList, &Service::extra_hosts>},
    {"dns", Into<ReadStringList, &Service::dns>},
});

}  // namespace

ModelPath ServicePath(const std::string& service_name) {
  return ModelPath().Key("services").Key(service_name);
}

Result<Service> ReadService(const MapEntry& entry, const ModelPath& at) {
  Service service;
  service.name = entry.key;
  service.mark = entry.key_mark;
  if (Status s = RequireMapping(entry.value, at); !s.ok()) return std::move(s).error();
  for (const MapEntry& key : entry.value.entries()) service.marks[key.key] = key.key_mark;
  Status read = ReadFields<Service>(entry.value, at, kServiceFields, service,
                                    {&service.other, &service.extensions});
  if (!read.ok()) return std::move(read).error();
  if (Status s = NormaliseOtherScalars(service, at); !s.ok()) return std::move(s).error();
  return service;
}

}  // namespace baton::compose::normalise
