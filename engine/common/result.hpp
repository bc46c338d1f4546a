// Errors as values: every fallible engine call returns Result<T>, whose error
// carries the context a user needs (file, position, layer, field).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace convscope {

struct Error {
    std::string message;  // complete, user-facing: names the file/position or layer/field
};

// Thrown only at a program's edge (CLI main, GUI actions) when a Result is unwrapped.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() & { return checked(); }
    const T& value() const& { return const_cast<Result*>(this)->checked(); }
    T&& value() && { return std::move(checked()); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    T& checked() {
        if (auto* e = std::get_if<Error>(&state_)) throw InputError(e->message);
        return std::get<T>(state_);
    }
    std::variant<T, Error> state_;
};

// For calls that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace convscope
