#pragma once
// SHA-256, for the layer and config digests of the lab's image archive
// (docker load checks that a layer's digest matches the config's diff_ids).

#include <string>
#include <string_view>

namespace baton {

// The SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace baton
