//! Native tests of the core : codecs, and state machines on a virtual clock with a
//! scripted fake server.

mod channel;
mod codec;
mod connection;
mod harness;
mod ping;
mod publish;
mod recovery;
mod rest;
mod resume;
mod token;
