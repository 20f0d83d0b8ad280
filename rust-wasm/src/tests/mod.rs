//! Native tests of the core (style §5): codecs here, state machines on a virtual clock.

mod codec;
