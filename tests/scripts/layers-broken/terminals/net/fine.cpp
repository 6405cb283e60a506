// The network may use the simulation and Asio.
#include <boost/asio.hpp>

#include "sim/engine.hpp"
