// Watcher events as JSON lines and logfmt, and the ring of recent ones.

#include "runtime/watch_log.h"

#include <time.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "base/rfc3339.h"

namespace baton::runtime {
namespace {

using std::chrono::system_clock;

// logfmt needs quotes around values a reader would split or misread.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value)
    if (c == ' ' || c == '=' || c == '"' || static_cast<unsigned char>(c) < 0x20) return true;
  return false;
}

std::string LogfmtValue(std::string_view value) {
  if (!NeedsQuotes(value)) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';  // tabs and other controls would break the one-line rule
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void AddPair(std::string& line, std::string_view key, std::string_view value) {
  line += ' ';
  line += key;
  line += '=';
  line += LogfmtValue(value);
}

std::string StringAt(const nlohmann::ordered_json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (!it->is_string()) throw std::invalid_argument(std::string(key) + " is not a string");
  return it->get<std::string>();
}

WatchEvent DecodeEvent(const nlohmann::ordered_json& j) {
  if (!j.is_object()) throw std::invalid_argument("not an object");
  WatchEvent event;
  std::optional<system_clock::time_point> time = ParseRfc3339(StringAt(j, "time"));
  if (!time) throw std::invalid_argument("time is not an RFC 3339 UTC time");
  event.time = *time;
  event.level = StringAt(j, "level");
  event.kind = StringAt(j, "kind");
  if (event.kind.empty()) throw std::invalid_argument("kind is missing");
  event.project = StringAt(j, "project");
  event.service = StringAt(j, "service");
  if (auto slot = j.find("slot"); slot != j.end()) event.slot = slot->get<int>();
  event.host = StringAt(j, "host");
  event.message = StringAt(j, "message");
  if (auto fields = j.find("fields"); fields != j.end()) {
    if (!fields->is_object()) throw std::invalid_argument("fields is not an object");
    for (const auto& [key, value] : fields->items())
      event.fields.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return event;
}

}  // namespace

std::string ToJsonLine(const WatchEvent& event) {
  // ordered_json keeps the keys in the order people read them.
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["time"] = FormatRfc3339Millis(event.time);
  j["level"] = event.level;
  j["kind"] = event.kind;
  if (!event.project.empty()) j["project"] = event.project;
  if (!event.service.empty()) j["service"] = event.service;
  if (event.slot != 0) j["slot"] = event.slot;
  if (!event.host.empty()) j["host"] = event.host;
  if (!event.message.empty()) j["message"] = event.message;
  if (!event.fields.empty()) {
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const auto& [key, value] : event.fields) fields[key] = value;
    j["fields"] = std::move(fields);
  }
  // Replace, not throw, on invalid UTF-8 from container output in a message.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<WatchEvent> ParseJsonLine(std::string_view line) {
  try {
    return DecodeEvent(nlohmann::ordered_json::parse(line));
  } catch (const std::exception& e) {
    return Error::Invalid("", std::string("malformed watch event: ") + e.what());
  }
}

std::string ToLogfmt(const WatchEvent& event) {
  std::string line = FormatRfc3339Millis(event.time);
  line += ' ';
  line += event.level;
  line += ' ';
  line += event.kind;
  if (!event.project.empty()) AddPair(line, "project", event.project);
  if (!event.service.empty()) AddPair(line, "service", event.service);
  if (event.slot != 0) AddPair(line, "slot", std::to_string(event.slot));
  if (!event.host.empty()) AddPair(line, "host", event.host);
  for (const auto& [key, value] : event.fields) AddPair(line, key, value);
  if (!event.message.empty()) AddPair(line, "msg", event.message);
  return line;
}

void EventRing::Add(WatchEvent event) {
  std::string line = ToJsonLine(event) + "\n";
  std::lock_guard lock(mu_);
  bytes_ += line.size();
  lines_.push_back(std::move(line));
  ++added_;
  // Keep at least the newest line, even one larger than the byte budget.
  while (lines_.size() > 1 && (lines_.size() > max_events_ || bytes_ > max_bytes_)) {
    bytes_ -= lines_.front().size();
    lines_.pop_front();
  }
}

std::string EventRing::Jsonl() const {
  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(bytes_);
  for (const std::string& line : lines_) out += line;
  return out;
}

uint64_t EventRing::added() const {
  std::lock_guard lock(mu_);
  return added_;
}

}  // namespace baton::runtime
