/* Numbers from the RISC-V SBI specification (v2.0), shared by both
 * directions: our calls into firmware and guests' calls into us. */
#ifndef SEPTA_SBI_SPEC_H
#define SEPTA_SBI_SPEC_H

/* Extension ids and error codes from the SBI specification (v2.0). */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR	 0x01
#define SBI_EXT_LEGACY_GETCHAR	 0x02
#define SBI_EXT_BASE		 0x10
#define SBI_EXT_TIME		 0x54494D45
#define SBI_EXT_IPI		 0x735049
#define SBI_EXT_RFENCE		 0x52464E43
#define SBI_EXT_HSM		 0x48534D
#define SBI_EXT_SRST		 0x53525354
#define SBI_EXT_DBCN		 0x4442434E

#define SBI_SUCCESS		  0
#define SBI_ERR_FAILED		  (-1)
#define SBI_ERR_NOT_SUPPORTED	  (-2)
#define SBI_ERR_INVALID_PARAM	  (-3)
#define SBI_ERR_DENIED		  (-4)
#define SBI_ERR_INVALID_ADDRESS	  (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED	  (-7)
#define SBI_ERR_ALREADY_STOPPED	  (-8)

#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_COLD_REBOOT	1
#define SBI_SRST_WARM_REBOOT	2
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE 1

#define SBI_HSM_STARTED		  0
#define SBI_HSM_STOPPED		  1
#define SBI_HSM_START_PENDING	  2
#define SBI_HSM_STOP_PENDING	  3
#define SBI_HSM_SUSPENDED	  4
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID	  1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXT	  3
#define SBI_BASE_GET_MVENDORID	  4
#define SBI_BASE_GET_MARCHID	  5
#define SBI_BASE_GET_MIMPID	  6

#endif
