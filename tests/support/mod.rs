#![allow(dead_code)]
pub mod centre;
pub mod cli;
pub mod escpos_decoder;
pub mod fake_printer;
pub mod tcp_proxy;
pub mod tmux;
