#pragma once
// Volumes as baton creates and reads them.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace baton::runtime {

// POST /volumes/create.
struct VolumeSpec {
  std::string name;  // "" lets the engine make one up
  std::string driver = "local";
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> driver_options;
};

// GET /volumes/{name}; also one entry of GET /volumes.
struct VolumeInfo {
  std::string name;
  std::string driver;
  std::string mountpoint;
  std::string scope;       // "local"
  std::string created_at;  // RFC 3339
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options;
  nlohmann::json raw;
};

}  // namespace baton::runtime
