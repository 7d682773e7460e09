#pragma once
// Reading (and a little writing) Docker's JSON, for the docker_*.cc files only. Docker
// writes null for empty maps and lists and omits fields freely, so readers
// treat missing and null alike; any other type mismatch throws, and
// DockerClient::CallJson turns that into a kInternal error naming the call.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/docker_client.h"

namespace baton::runtime::json_read {

// Thrown by the readers below for a shape nlohmann would accept but baton can't use.
class ShapeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The field, or nullptr when it is missing or null. Throws ShapeError if `j`
// is not an object.
const nlohmann::json* Field(const nlohmann::json& j, const char* key);
// The field as an object; an empty object when missing or null.
const nlohmann::json& Object(const nlohmann::json& j, const char* key);
std::string String(const nlohmann::json& j, const char* key);
std::int64_t Int(const nlohmann::json& j, const char* key);
std::uint64_t Unsigned(const nlohmann::json& j, const char* key);
bool Bool(const nlohmann::json& j, const char* key);
std::vector<std::string> Strings(const nlohmann::json& j, const char* key);
std::map<std::string, std::string> StringMap(const nlohmann::json& j, const char* key);
// The elements of an array; throws ShapeError for anything else.
const nlohmann::json::array_t& Array(const nlohmann::json& j);

// Runs `decode` on `document`, catching what a malformed one throws. The
// error message is "malformed response: WHAT" with no `where`.
template <typename T>
Result<T> DecodeDocument(const nlohmann::json& document,
                         const std::function<T(const nlohmann::json&)>& decode) {
  try {
    return decode(document);
  } catch (const nlohmann::json::exception& e) {
    return Error::Internal("", std::string("malformed response: ") + e.what());
  } catch (const ShapeError& e) {
    return Error::Internal("", std::string("malformed response: ") + e.what());
  }
}

// Parses `text` and runs `decode` on it, as DecodeDocument.
template <typename T>
Result<T> Decode(const std::string& text, const std::function<T(const nlohmann::json&)>& decode) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error::Internal("", std::string("malformed response: ") + e.what());
  }
  return DecodeDocument(document, decode);
}

// The Engine API's streams (pull, load, build) report failures in-band:
// {"error": "...", "errorDetail": {"message": "..."}}. Reads one document of
// such a stream: records an in-band error or a malformed document in
// `failure` and stops the stream (false), else hands it to `next`.
bool ReadProgressDocument(const nlohmann::json& document, std::optional<Error>& failure,
                          const std::function<bool(const nlohmann::json&)>& next);

}  // namespace baton::runtime::json_read

namespace baton::runtime::json_write {

// How a container joins a network, as create and connect both send it.
nlohmann::json EndpointBody(const EndpointSpec& endpoint);

}  // namespace baton::runtime::json_write

namespace baton::runtime {

template <typename T>
Result<T> DockerClient::CallJson(const HttpRequest& request,
                                 const std::function<T(const nlohmann::json&)>& decode) {
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  Result<T> decoded = json_read::Decode<T>(response->body, decode);
  if (!decoded.ok()) return AtCall(request, decoded.error());
  return decoded;
}

}  // namespace baton::runtime
