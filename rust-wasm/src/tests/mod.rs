//! Native tests of the core (style §5): codecs, and state machines on a virtual clock with a
//! scripted fake server.

mod channel;
mod codec;
mod connection;
mod harness;
mod publish;
mod rest;
mod resume;
