#pragma once
// Expected-style results for the boundaries of hakto's libraries (Boost.Outcome).
#include <boost/outcome/result.hpp>

namespace hakto {

namespace outcome = boost::outcome_v2;

/// A value of T, or an error of E. Accessing the wrong alternative terminates: check first.
template <class T, class E>
using expected = outcome::result<T, E, outcome::policy::terminate>;

}  // namespace hakto
