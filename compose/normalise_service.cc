// One service: the key table that says which keys the model types and how
// each is read. Keys not in the table go, as written, to Service::other.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

using ServiceField = Field<Service>;

// Readers for the plain fields, one per member type.
template <std::string Service::*member>
Status StringField(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadString(value, at), s.*member);
}

template <std::vector<std::string> Service::*member>
Status ListField(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadStringList(value, at), s.*member);
}

template <StringMap Service::*member>
Status MapField(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadStringMap(value, at), s.*member);
}

template <std::optional<bool> Service::*member>
Status BoolField(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadBool(value, at), s.*member);
}

// `command: null` leaves the image's command; `command: []` clears it.
template <std::optional<std::vector<std::string>> Service::*member>
Status CommandField(const Node& value, const ModelPath& at, Service& s) {
  if (value.IsNull()) {
    (s.*member).reset();
    return Status::Ok();
  }
  return Assign(ReadStringList(value, at), s.*member);
}

Status ReadEnvironment(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadOptionalStringMap(value, at), s.environment);
}

Status ReadScale(const Node& value, const ModelPath& at, Service& s) {
  Result<int64_t> scale = ReadInt(value, at);
  if (!scale.ok()) return std::move(scale).error();
  if (*scale < INT32_MIN || *scale > INT32_MAX)
    return Error::Invalid(Where(value, at), "scale " + value.scalar() + " out of range");
  s.scale = static_cast<int>(*scale);
  return Status::Ok();
}

Status ReadStopGracePeriod(const Node& value, const ModelPath& at, Service& s) {
  return Assign(ReadDuration(value, at), s.stop_grace_period);
}

constexpr auto kServiceFields = std::to_array<ServiceField>({
    {"profiles", ListField<&Service::profiles>},
    {"image", StringField<&Service::image>},
    {"build", ReadBuild},
    {"command", CommandField<&Service::command>},
    {"entrypoint", CommandField<&Service::entrypoint>},
    {"environment", ReadEnvironment},
    {"env_file", ReadEnvFiles},
    {"labels", MapField<&Service::labels>},
    {"label_file", ReadLabelFiles},
    {"ports", ReadPorts},
    {"expose", ListField<&Service::expose>},
    {"volumes", ReadVolumeMounts},
    {"tmpfs", ListField<&Service::tmpfs>},
    {"networks", ReadServiceNetworks},
    {"network_mode", StringField<&Service::network_mode>},
    {"depends_on", ReadDependsOn},
    {"healthcheck", ReadHealthcheck},
    {"restart", StringField<&Service::restart>},
    {"deploy", ReadDeploy},
    {"scale", ReadScale},
    {"secrets", ReadSecretReferences},
    {"configs", ReadConfigReferences},
    {"user", StringField<&Service::user>},
    {"working_dir", StringField<&Service::working_dir>},
    {"hostname", StringField<&Service::hostname>},
    {"container_name", StringField<&Service::container_name>},
    {"cap_add", ListField<&Service::cap_add>},
    {"cap_drop", ListField<&Service::cap_drop>},
    {"privileged", BoolField<&Service::privileged>},
    {"read_only", BoolField<&Service::read_only>},
    {"init", BoolField<&Service::init>},
    {"ulimits", ReadUlimits},
    {"sysctls", MapField<&Service::sysctls>},
    {"logging", ReadLogging},
    {"stop_signal", StringField<&Service::stop_signal>},
    {"stop_grace_period", ReadStopGracePeriod},
    {"pull_policy", StringField<&Service::pull_policy>},
    {"platform", StringField<&Service::platform>},
    {"extra_hosts", ListField<&Service::extra_hosts>},
    {"dns", ListField<&Service::dns>},
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
