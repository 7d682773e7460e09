// The smaller structured keys of a service: healthcheck, ulimits, logging,
// env_file and label_file entries, and the scalars compose types inside keys
// the model keeps untyped.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"
#include "compose/scalar.h"

namespace baton::compose::normalise {
namespace {

constexpr auto kHealthcheckFields = std::to_array<Field<Healthcheck>>({
    {"test", Into<ReadStringList, &Healthcheck::test>},
    {"interval", Into<ReadDuration, &Healthcheck::interval>},
    {"timeout", Into<ReadDuration, &Healthcheck::timeout>},
    {"start_period", Into<ReadDuration, &Healthcheck::start_period>},
    {"start_interval", Into<ReadDuration, &Healthcheck::start_interval>},
    {"retries", Into<ReadUnsigned, &Healthcheck::retries>},
    {"disable", Into<ReadBool, &Healthcheck::disable>},
});

Result<Ulimit> ReadUlimit(const Node& node, const ModelPath& at) {
  Ulimit limit;
  if (node.IsScalar()) {
    Result<int64_t> single = ReadInt(node, at);
    if (!single.ok()) return std::move(single).error();
    limit.single = *single;
    return limit;
  }
  static constexpr auto kFields = std::to_array<Field<Ulimit>>({
      {"soft", Into<ReadInt, &Ulimit::soft>},
      {"hard", Into<ReadInt, &Ulimit::hard>},
  });
  if (Status s = ReadFields<Ulimit>(node, at, kFields, limit); !s.ok()) return std::move(s).error();
  return limit;
}

constexpr auto kLoggingFields = std::to_array<Field<Logging>>({
    {"driver", Into<ReadString, &Logging::driver>},
    {"options",
     [](const Node& v, const ModelPath& at, Logging& l) {
       if (v.IsNull()) return Status::Ok();
       return Assign(ReadStringMap(v, at), l.options);
     }},
});

constexpr auto kEnvFileFields = std::to_array<Field<EnvFile>>({
    {"path", Into<ReadString, &EnvFile::path>},
    {"required", Into<ReadBool, &EnvFile::required>},
    {"format", Into<ReadString, &EnvFile::format>},
});

// Byte sizes compose types in service keys the model leaves untyped; it
// prints them as byte counts.
constexpr std::array<std::string_view, 4> kOtherByteKeys = {"mem_limit", "mem_reservation",
                                                            "memswap_limit", "shm_size"};

}  // namespace

Status ReadHealthcheck(const Node& node, const ModelPath& at, Service& service) {
  Healthcheck check;
  if (Status s = ReadFields<Healthcheck>(node, at, kHealthcheckFields, check); !s.ok()) return s;
  service.healthcheck = std::move(check);
  return Status::Ok();
}

Status ReadUlimits(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  for (const MapEntry& e : node.entries()) {
    Result<Ulimit> limit = ReadUlimit(e.value, at.Key(e.key));
    if (!limit.ok()) return std::move(limit).error();
    service.ulimits[e.key] = *limit;
  }
  return Status::Ok();
}

Status ReadLogging(const Node& node, const ModelPath& at, Service& service) {
  Logging logging;
  if (Status s = ReadFields<Logging>(node, at, kLoggingFields, logging); !s.ok()) return s;
  service.logging = std::move(logging);
  return Status::Ok();
}

Status ReadEnvFiles(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireSequence(node, at); !s.ok()) return s;
  service.env_files.clear();
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    ModelPath item_at = at.Index(i);
    EnvFile file;
    if (Status s = ReadFields<EnvFile>(item, item_at, kEnvFileFields, file); !s.ok()) return s;
    if (!item.Find("path")) return Error::Invalid(Where(item, item_at), "missing key \"path\"");
    service.marks["env_file[" + std::to_string(i) + "]"] = item.mark();
    service.env_files.push_back(std::move(file));
  }
  return Status::Ok();
}

Status ReadLabelFiles(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = Assign(ReadStringList(node, at), service.label_files); !s.ok()) return s;
  for (size_t i = 0; i < node.items().size(); ++i)
    service.marks["label_file[" + std::to_string(i) + "]"] = node.items()[i].mark();
  return Status::Ok();
}

Status NormaliseOtherScalars(Service& service, const ModelPath& at) {
  for (MapEntry& e : service.other.entries()) {
    bool is_bytes = false;
    for (std::string_view key : kOtherByteKeys) is_bytes = is_bytes || e.key == key;
    if (is_bytes) {
      Result<int64_t> bytes = ReadBytes(e.value, at.Key(e.key));
      if (!bytes.ok()) return std::move(bytes).error();
      e.value.set_scalar(std::to_string(*bytes));
      e.value.set_quoted(true);  // compose prints byte sizes as strings
    } else if (e.key == "cpus") {
      Result<double> cpus = ReadDouble(e.value, at.Key(e.key));
      if (!cpus.ok()) return std::move(cpus).error();
      e.value.set_quoted(false);  // a number, as compose prints it
    }
  }
  return Status::Ok();
}

}  // namespace baton::compose::normalise
