// The exhibit may not use the network node.
#include <boost/program_options.hpp>
#include "terminals/net/node/net_node.hpp"
