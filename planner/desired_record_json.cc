// The desired-state record's JSON: ToJson, ParseDesiredRecord and the
// compact placement label. nlohmann's default object is a std::map, so keys
// come out sorted and dump() is canonical: the same record, the same bytes.

#include <nlohmann/json.hpp>
#include <string>

#include "planner/desired_record.h"

namespace baton::planner {
namespace {

using nlohmann::json;

constexpr char kWhere[] = "desired state";

const char* SourceName(ScaleSource source) {
  switch (source) {
    case ScaleSource::kFile:
      return "file";
    case ScaleSource::kScale:
      return "scale";
    case ScaleSource::kAutoscale:
      return "autoscale";
  }
  return "file";
}

json PlacementJson(const std::map<std::string, std::map<int, std::string>>& placement) {
  json out = json::object();
  for (const auto& [service, slots] : placement) {
    json by_slot = json::object();
    for (const auto& [slot, host] : slots) by_slot[std::to_string(slot)] = host;
    out[service] = by_slot;
  }
  return out;
}

// held: service -> slot -> spec hash, the same shape as the placement.
json HeldJson(const std::map<std::string, std::map<int, std::string>>& held) {
  return PlacementJson(held);
}

json PreviousJson(const std::map<std::string, PreviousSpec>& previous) {
  json out = json::object();
  for (const auto& [service, spec] : previous)
    out[service] = {{"service_json", spec.service_json}, {"spec_hash", spec.spec_hash}};
  return out;
}

json ScaleJson(const std::map<std::string, ServiceScale>& scale) {
  json out = json::object();
  for (const auto& [service, s] : scale)
    out[service] = {{"replicas", s.replicas},
                    {"file_replicas", s.file_replicas},
                    {"set_by", SourceName(s.set_by)},
                    {"reason", s.reason}};
  return out;
}

// Dumps `value`; text that is not UTF-8 is replaced rather than thrown on.
std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// Reads typed fields of one JSON object, naming the key path on failure.
class Fields {
 public:
  Fields(const json& object, std::string at, const std::string& where)
      : object_(object), at_(std::move(at)), where_(where) {}

  Result<const json*> Get(const std::string& key, json::value_t type, const char* what) const {
    auto it = object_.find(key);
    if (it == object_.end()) return Wrong(key, "missing");
    bool ok = it->type() == type || (type == json::value_t::number_integer &&
                                     it->type() == json::value_t::number_unsigned);
    if (!ok) return Wrong(key, std::string("expected ") + what);
    return &*it;
  }
  Status String(const std::string& key, std::string& out) const {
    Result<const json*> v = Get(key, json::value_t::string, "a string");
    if (!v.ok()) return v.error();
    out = (*v)->get<std::string>();
    return Status::Ok();
  }
  Status Bool(const std::string& key, bool& out) const {
    Result<const json*> v = Get(key, json::value_t::boolean, "true or false");
    if (!v.ok()) return v.error();
    out = (*v)->get<bool>();
    return Status::Ok();
  }
  Status Count(const std::string& key, int64_t min, int64_t max, int64_t& out) const {
    Result<const json*> v = Get(key, json::value_t::number_integer, "an integer");
    if (!v.ok()) return v.error();
    if ((*v)->is_number_unsigned() && (*v)->get<uint64_t>() > static_cast<uint64_t>(max))
      return Wrong(key, "out of range");
    out = (*v)->get<int64_t>();
    if (out < min || out > max) return Wrong(key, "out of range");
    return Status::Ok();
  }
  Result<const json*> Object(const std::string& key) const {
    return Get(key, json::value_t::object, "an object");
  }
  Result<const json*> Array(const std::string& key) const {
    return Get(key, json::value_t::array, "a list");
  }
  std::string Path(const std::string& key) const { return at_.empty() ? key : at_ + "." + key; }
  Error Wrong(const std::string& key, const std::string& message) const {
    return Error::Invalid(where_, Path(key) + ": " + message);
  }

 private:
  const json& object_;
  std::string at_;
  std::string where_;
};

Result<std::string> StringOf(const json& value, const std::string& at, const std::string& where) {
  if (!value.is_string()) return Error::Invalid(where, at + ": expected a string");
  return value.get<std::string>();
}

Status ParseScaleEntry(const json& entry, const std::string& at, const std::string& where,
                       ServiceScale& out) {
  if (!entry.is_object()) return Error::Invalid(where, at + ": expected an object");
  Fields f(entry, at, where);
  int64_t replicas = 0, file_replicas = 0;
  std::string set_by;
  if (Status s = f.Count("replicas", 0, 1 << 20, replicas); !s.ok()) return s;
  if (Status s = f.Count("file_replicas", 0, 1 << 20, file_replicas); !s.ok()) return s;
  if (Status s = f.String("set_by", set_by); !s.ok()) return s;
  if (Status s = f.String("reason", out.reason); !s.ok()) return s;
  out.replicas = static_cast<int>(replicas);
  out.file_replicas = static_cast<int>(file_replicas);
  if (set_by == "file") out.set_by = ScaleSource::kFile;
  else if (set_by == "scale") out.set_by = ScaleSource::kScale;
  else if (set_by == "autoscale") out.set_by = ScaleSource::kAutoscale;
  else return f.Wrong("set_by", "unknown source \"" + set_by + "\"");
  return Status::Ok();
}

Status ParsePlacementJson(const json& value, const std::string& at, const std::string& where,
                          std::map<std::string, std::map<int, std::string>>& out) {
  if (!value.is_object()) return Error::Invalid(where, at + ": expected an object");
  for (const auto& [service, slots] : value.items()) {
    std::string service_at = at.empty() ? service : at + "." + service;
    if (!slots.is_object()) return Error::Invalid(where, service_at + ": expected an object");
    for (const auto& [slot, host] : slots.items()) {
      std::string slot_at = service_at + "." + slot;
      size_t used = 0;
      int number = 0;
      try {
        number = std::stoi(slot, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != slot.size() || number < 1 || std::to_string(number) != slot)
        return Error::Invalid(where, slot_at + ": slot is not a positive integer");
      Result<std::string> name = StringOf(host, slot_at, where);
      if (!name.ok()) return name.error();
      out[service][number] = *name;
    }
  }
  return Status::Ok();
}

Status ParseStringMap(const json& value, const std::string& at, const std::string& where,
                      std::map<std::string, std::string>& out) {
  for (const auto& [key, item] : value.items()) {
    Result<std::string> text = StringOf(item, at + "." + key, where);
    if (!text.ok()) return text.error();
    out[key] = *text;
  }
  return Status::Ok();
}

Status ParseStringList(const json& value, const std::string& at, const std::string& where,
                       std::vector<std::string>& out) {
  for (size_t i = 0; i < value.size(); ++i) {
    Result<std::string> text = StringOf(value[i], at + "[" + std::to_string(i) + "]", where);
    if (!text.ok()) return text.error();
    out.push_back(*text);
  }
  return Status::Ok();
}

Status ParseCollections(const Fields& f, const std::string& where, DesiredRecord& out) {
  Result<const json*> hashes = f.Object("spec_hashes");
  if (!hashes.ok()) return hashes.error();
  if (Status s = ParseStringMap(**hashes, "spec_hashes", where, out.spec_hashes); !s.ok()) return s;
  Result<const json*> scale = f.Object("scale");
  if (!scale.ok()) return scale.error();
  for (const auto& [service, entry] : (*scale)->items())
    if (Status s = ParseScaleEntry(entry, "scale." + service, where, out.scale[service]); !s.ok())
      return s;
  Result<const json*> stopped = f.Array("stopped");
  if (!stopped.ok()) return stopped.error();
  if (Status s = ParseStringList(**stopped, "stopped", where, out.stopped); !s.ok()) return s;
  Result<const json*> placement = f.Object("placement");
  if (!placement.ok()) return placement.error();
  if (Status s = ParsePlacementJson(**placement, "placement", where, out.placement); !s.ok())
    return s;
  Result<const json*> volumes = f.Object("volume_hosts");
  if (!volumes.ok()) return volumes.error();
  for (const auto& [volume, hosts] : (*volumes)->items()) {
    std::string at = "volume_hosts." + volume;
    if (!hosts.is_array()) return Error::Invalid(where, at + ": expected a list");
    if (Status s = ParseStringList(hosts, at, where, out.volume_hosts[volume]); !s.ok()) return s;
  }
  return Status::Ok();
}

// held and previous came with issue 7: a record written before has neither.
Status ParseUpdateFields(const json& doc, const std::string& where, DesiredRecord& out) {
  if (auto held = doc.find("held"); held != doc.end())
    if (Status s = ParsePlacementJson(*held, "held", where, out.held); !s.ok()) return s;
  auto previous = doc.find("previous");
  if (previous == doc.end()) return Status::Ok();
  if (!previous->is_object()) return Error::Invalid(where, "previous: expected an object");
  for (const auto& [service, entry] : previous->items()) {
    std::string at = "previous." + service;
    if (!entry.is_object()) return Error::Invalid(where, at + ": expected an object");
    Fields f(entry, at, where);
    PreviousSpec& spec = out.previous[service];
    if (Status s = f.String("service_json", spec.service_json); !s.ok()) return s;
    if (Status s = f.String("spec_hash", spec.spec_hash); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ParseFields(const json& doc, const std::string& where, DesiredRecord& out) {
  Fields f(doc, "", where);
  int64_t format = 0, generation = 0;
  if (Status s = f.Count("format", 0, INT32_MAX, format); !s.ok()) return s;
  if (format != 1) return f.Wrong("format", "unknown format " + std::to_string(format));
  if (Status s = f.Count("generation", 0, INT64_MAX, generation); !s.ok()) return s;
  out.generation = static_cast<uint64_t>(generation);
  if (Status s = f.Bool("removed", out.removed); !s.ok()) return s;
  const std::pair<const char*, std::string*> strings[] = {
      {"compose_json", &out.compose_json}, {"content_json", &out.content_json},
      {"written_by", &out.written_by},     {"written_at", &out.written_at},
      {"baton_version", &out.baton_version}};
  for (auto [key, field] : strings)
    if (Status s = f.String(key, *field); !s.ok()) return s;
  if (Status s = ParseCollections(f, where, out); !s.ok()) return s;
  return ParseUpdateFields(doc, where, out);
}

}  // namespace

std::string ToJson(const DesiredRecord& record) {
  json volume_hosts = json::object();
  for (const auto& [volume, hosts] : record.volume_hosts) volume_hosts[volume] = hosts;
  json doc = {{"format", record.format},
              {"project", record.project},
              {"generation", record.generation},
              {"removed", record.removed},
              {"compose_json", record.compose_json},
              {"content_json", record.content_json},
              {"spec_hashes", record.spec_hashes},
              {"scale", ScaleJson(record.scale)},
              {"stopped", record.stopped},
              {"placement", PlacementJson(record.placement)},
              {"held", HeldJson(record.held)},
              {"previous", PreviousJson(record.previous)},
              {"volume_hosts", volume_hosts},
              {"written_by", record.written_by},
              {"written_at", record.written_at},
              {"baton_version", record.baton_version}};
  return Dump(doc);
}

Result<DesiredRecord> ParseDesiredRecord(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::Invalid(kWhere, "malformed json");
  if (!doc.is_object()) return Error::Invalid(kWhere, "expected an object");
  DesiredRecord record;
  if (Status s = Fields(doc, "", kWhere).String("project", record.project); !s.ok())
    return s.error();
  const std::string where = "desired state of " + record.project;
  if (Status s = ParseFields(doc, where, record); !s.ok()) return s.error();
  return record;
}

std::string PlacementLabel(const DesiredRecord& record) {
  return Dump(PlacementJson(record.placement));
}

std::string SpecHashesLabel(const DesiredRecord& record) {
  return Dump(json(record.spec_hashes));
}

std::string HeldLabel(const DesiredRecord& record) { return Dump(HeldJson(record.held)); }

Result<std::map<std::string, std::map<int, std::string>>> ParsePlacementLabel(
    std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::Invalid("placement label", "malformed json");
  std::map<std::string, std::map<int, std::string>> placement;
  if (Status s = ParsePlacementJson(doc, "", "placement label", placement); !s.ok())
    return s.error();
  return placement;
}

}  // namespace baton::planner
