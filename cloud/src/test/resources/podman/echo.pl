# The test image's command: echoes TCP lines and UDP datagrams on $SWITCHBOARD_PORTS, bound to
# $SWITCHBOARD_BIND_IP, each answer prefixed with that address; listens on the health port too;
# exits 0 on SIGTERM.
use strict;
use IO::Socket::INET;
use IO::Select;
$| = 1;
my $bind = $ENV{SWITCHBOARD_BIND_IP};
my $sel = IO::Select->new;
my (%kind, %tcp);
sub listen_tcp {
  my $port = shift;
  my $s = IO::Socket::INET->new(LocalAddr => $bind, LocalPort => $port, Proto => 'tcp',
    Listen => 16, ReuseAddr => 1) or die "cannot listen on $bind:$port/tcp: $!\n";
  $kind{$s} = 'listen';
  $sel->add($s);
}
for my $p (split ' ', $ENV{SWITCHBOARD_PORTS}) {
  my ($port, $proto) = split '/', $p;
  if ($proto eq 'tcp') {
    listen_tcp($port);
    $tcp{$port} = 1;
  } else {
    my $s = IO::Socket::INET->new(LocalAddr => $bind, LocalPort => $port, Proto => 'udp')
      or die "cannot bind $bind:$port/udp: $!\n";
    $kind{$s} = 'udp';
    $sel->add($s);
  }
}
my $health = $ENV{SWITCHBOARD_HEALTH_PORT};
listen_tcp($health) if $health && !$tcp{$health};
$SIG{TERM} = sub { exit 0 };
print "echo.pl listening on $bind $ENV{SWITCHBOARD_PORTS}\n";
while (1) {
  for my $s ($sel->can_read) {
    my $k = $kind{$s};
    if ($k eq 'listen') {
      my $c = $s->accept or next;
      $kind{$c} = 'conn';
      $sel->add($c);
    } elsif ($k eq 'udp') {
      my $d;
      my $peer = $s->recv($d, 2048);
      $s->send("$bind: $d", 0, $peer) if defined $peer;
    } else {
      my $line;
      if (sysread($s, $line, 2048)) {
        $line =~ s/\r?\n\z//;
        syswrite($s, "$bind: $line\n");
      } else {
        $sel->remove($s);
        delete $kind{$s};
        close $s;
      }
    }
  }
}
