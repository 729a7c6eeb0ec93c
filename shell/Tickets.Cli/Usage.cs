namespace Tickets.Cli;

/// <summary>The help text, shared by --help (stdout, exit 0) and usage errors (stderr, exit 2).</summary>
internal static class Usage
{
    public const string Text = """
        usage: tickets serve [options]
               tickets --help
               tickets --version

        A TLS 1.3 server issuing session tickets the way OpenSSL 3.0 does (SSL_CTX_set_num_tickets).

        serve options:
          --port N, --accept N   TCP port to listen on (default 4433; 0 picks a free port)
          --host ADDRESS         IP address to listen on (default 127.0.0.1; "localhost" means 127.0.0.1)
          --cert CHAIN.pem       server certificate (leaf first, then its chain); needs --key
          --key KEY.pem          private key of the leaf certificate; needs --cert
                                 without both: a self-signed ECDSA P-256 certificate for localhost
          --num-tickets N        tickets after a full handshake (default 2; 0 disables tickets)
          --session-timeout S    session/ticket lifetime in seconds (default 7200, capped at 604800 on the wire)
          --www                  answer HTTP GET with a page describing the connection, then close
                                 (default: echo application data back)
          --verify               ask for a client certificate in full handshakes (as s_server -verify)
          --Verify               require one: certificate_required without, the chain's alert if it does not verify
          --ca CA.pem            CAs a client certificate chain must end in (only these; no revocation checks)
          --pha-path /PATH       with --www: a GET for PATH first asks for a client certificate after the
                                 handshake (post-handshake authentication) and names its subject on the page
          --quiet                no per-connection log lines
          --trace                print every record and handshake message in both directions, field by
                                 field, with each ticket decision and its reason; lines start "conn N |"
          --trace-secrets        --trace plus the traffic secrets: UNSAFE outside a lab
          --help, -h             this text
          --version              print the version

        Commands on standard input (while it is open), applied to the most recent open connection,
        as in openssl s_server; each is acknowledged on standard output:
          c        request a client certificate now (post-handshake authentication)
          n N      set this connection's ticket count (SSL_set_num_tickets)
          N N      set the count for connections accepted from now on (SSL_CTX_set_num_tickets)
          t [N]    send N (default 1) extra tickets now (SSL_new_session_ticket)
          q        stop the server

        Stops cleanly on SIGINT or SIGTERM, or on q.
        """;

    public static void WriteError(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"tickets: {problem}");
        stderr.WriteLine();
        stderr.WriteLine(Text);
    }
}
