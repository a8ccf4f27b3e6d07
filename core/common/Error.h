#pragma once

#include <stdexcept>
#include <string>

namespace redifine {

// Bad input from the user: a file, a field or an argument that is wrong. The CLI exits 2 on it.
class InputError : public std::runtime_error
{
public:
    explicit InputError(const std::string &message) : std::runtime_error(message) {}
};

// A failure while doing valid work (out of memory, a write error, a NaN loss). The CLI exits 1 on it.
class RuntimeError : public std::runtime_error
{
public:
    explicit RuntimeError(const std::string &message) : std::runtime_error(message) {}
};

} // namespace redifine
