//! The `mimispec` command line: the commands and their dispatch. Each
//! command's arguments and body live in `mimispec::cli`.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use mimispec::cli;

#[derive(Parser)]
#[command(
    name = "mimispec",
    about = "Conformance suite for IMMI, MIMI discovery, Application/MIME and p≡p Message 2.x"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the corpus against the reference or against --impl.
    Run(Box<cli::run::RunArgs>),
    /// Serve the reference over the stdin/stdout protocol.
    Adapter,
    /// Serve one case's mock DNS zone on 127.0.0.1 until interrupted.
    Dns {
        #[command(subcommand)]
        command: DnsCommand,
    },
    /// Measure cases per second in process, persistent and one-shot.
    Bench(cli::bench::BenchArgs),
    /// Print the JSON Schemas of ops' inputs and results.
    Schema(cli::schema::SchemaArgs),
    /// List every requirement of the catalogs with the cases that test it.
    Coverage(cli::coverage::CoverageArgs),
    /// Print one case: where it is, what it rests on, its request and answer.
    Show(cli::show::ShowArgs),
    /// Compare two --json reports: new failures, fixes, cases added and removed.
    Compare(cli::compare::CompareArgs),
    /// Write an expectations file listing a --json report's failing cases.
    Expect(cli::expect::ExpectArgs),
    /// Check an adapter before a run, and say what to fix.
    Doctor(cli::doctor::DoctorArgs),
    /// Set --json reports of several implementations side by side: a page and its Markdown twin.
    Matrix(cli::matrix::MatrixArgs),
    /// Send generated and mutated inputs to --impl and to the reference; keep each disagreement as a candidate vector.
    Fuzz(Box<cli::fuzz::FuzzArgs>),
}

#[derive(Subcommand)]
enum DnsCommand {
    /// Start the zone of a resolve case and print where it listens.
    Serve(cli::serve::ServeArgs),
}

fn main() -> ExitCode {
    cli::install_signal_handler();
    let wants_version = std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V");
    let matches = Cli::command()
        .version(cli::version_line(wants_version))
        .get_matches();
    let command = match Cli::from_arg_matches(&matches) {
        Ok(c) => c.command,
        Err(e) => e.exit(),
    };
    cli::finish(match command {
        Command::Run(args) => cli::run::run(*args),
        Command::Adapter => cli::adapter(),
        Command::Dns {
            command: DnsCommand::Serve(args),
        } => cli::serve::serve(args),
        Command::Bench(args) => cli::bench::bench(args),
        Command::Schema(args) => cli::schema::schema(args),
        Command::Coverage(args) => cli::coverage::coverage(args),
        Command::Show(args) => cli::show::show(args),
        Command::Compare(args) => cli::compare::compare(args),
        Command::Expect(args) => cli::expect::expect(args),
        Command::Doctor(args) => cli::doctor::doctor(args),
        Command::Matrix(args) => cli::matrix::matrix(args),
        Command::Fuzz(args) => cli::fuzz::fuzz(*args),
    })
}
