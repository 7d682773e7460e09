#pragma once
// Error, Result<T> and Status: how every baton module reports failure.
// Result has the shape of std::expected so a move to C++23 is a swap.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace baton {

struct Error {
  // Code decides on Kind; the text is for people.
  enum class Kind { kInvalid, kNotFound, kUnreachable, kConflict, kInternal };

  Kind kind = Kind::kInternal;
  std::string where;    // "compose.yaml:12:7: services.web.ports[1]" or "host h2"
  std::string message;  // lower case, no trailing period

  static Error Invalid(std::string where, std::string message) {
    return {Kind::kInvalid, std::move(where), std::move(message)};
  }
  static Error NotFound(std::string where, std::string message) {
    return {Kind::kNotFound, std::move(where), std::move(message)};
  }
  static Error Unreachable(std::string where, std::string message) {
    return {Kind::kUnreachable, std::move(where), std::move(message)};
  }
  static Error Conflict(std::string where, std::string message) {
    return {Kind::kConflict, std::move(where), std::move(message)};
  }
  static Error Internal(std::string where, std::string message) {
    return {Kind::kInternal, std::move(where), std::move(message)};
  }

  // Returns a copy whose message is prefixed by `context` ("create web-1: ...").
  // Each layer adds only the context it owns, once.
  Error Within(const std::string& context) const {
    Error e = *this;
    e.message = context + ": " + e.message;
    return e;
  }

  std::string ToString() const { return where.empty() ? message : where + ": " + message; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Result Ok() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace baton
